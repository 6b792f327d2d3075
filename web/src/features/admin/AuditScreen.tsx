/** The audit log (admin): newest first, paged, filtered by action and actor, times in the chosen language. */
import { useState } from 'react';
import { Autocomplete, Button, Code, Group, Select, Table, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get, qs } from '../../lib/api';
import { fmtDateTime } from '../../lib/format';
import { useUsers } from './UsersScreen';
import { AdminTable, ScreenHeader } from './ui';

interface Entry {
  id: number;
  actorType: 'user' | 'token' | 'system' | 'cli';
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  data: Record<string, unknown>;
  ip: string | null;
  at: string;
}

const PAGE = 50;
/** The actions the server writes (grep "audit(tx" in src/modules); the filter also offers any others it sees. */
const KNOWN_ACTIONS = [
  'account.created', 'user.signed_in',   'account.updated', 'callback.attempted', 'callback.cancelled', 'conversation.assigned', 'conversation.created',
  'conversation.merged', 'conversation.split', 'conversation.updated', 'customer.created', 'customer.identity_added',
  'customer.merged', 'events.import_failed', 'events.imported', 'macro.created', 'macro.deleted', 'macro.updated',
  'mailbox.created', 'mailbox.deleted', 'mailbox.settings_changed', 'mailbox.updated', 'queue.callback_policy',
  'queue.created', 'queue.updated', 'sla_policy.created', 'team.created', 'team.members_set', 'token.created',
  'token.revoked', 'user.created', 'user.updated', 'voice.cti_events', 'web.settings_changed', 'webhook.created',
  'webhook.deleted',
];

export function AuditScreen() {
  const { t } = useTranslation('admin');
  const users = useUsers();
  const tokens = useQuery({ queryKey: ['admin', 'tokens'], queryFn: () => get<{ items: { id: string; name: string; prefix: string }[] }>('/tokens').then((r) => r.items) });
  const [action, setAction] = useState('');
  const [actor, setActor] = useState<string | null>(null);
  // The cursors of the pages before this one (the first page has none): "newer" pops, "older" pushes.
  const [cursors, setCursors] = useState<(number | undefined)[]>([]);
  const [before, setBefore] = useState<number | undefined>(undefined);
  const filter = action.trim();
  const log = useQuery({
    queryKey: ['admin', 'audit', filter, actor, before],
    queryFn: () => get<{ items: Entry[] }>(`/audit${qs({ action: filter, actor, before, limit: PAGE })}`).then((r) => r.items),
    placeholderData: keepPreviousData,
  });
  const reset = () => {
    setCursors([]);
    setBefore(undefined);
  };
  const names = new Map<string, string>([
    ...(users.data ?? []).map((u) => [u.id, u.name] as [string, string]),
    ...(tokens.data ?? []).map((k) => [k.id, `${t('audit.token')} ${k.name || k.prefix}`] as [string, string]),
  ]);
  const actorName = (e: Entry) => (e.actorId ? names.get(e.actorId) ?? e.actorId : t(`audit.actorTypes.${e.actorType}`));
  const items = log.data ?? [];
  const actions = [...new Set([...KNOWN_ACTIONS, ...items.map((i) => i.action)])].sort();
  return (
    <>
      <ScreenHeader title={t('nav.audit')} description={t('audit.intro')} />
      <Group align="flex-end" mb="md" wrap="wrap">
        <Autocomplete
          label={t('audit.action')}
          placeholder={t('audit.anyAction')}
          value={action}
          onChange={(v) => {
            setAction(v);
            reset();
          }}
          data={actions}
          w={260}
        />
        <Select
          label={t('audit.actor')}
          placeholder={t('audit.anyone')}
          clearable
          searchable
          value={actor}
          onChange={(v) => {
            setActor(v);
            reset();
          }}
          data={[...names.entries()].map(([value, label]) => ({ value, label }))}
          w={260}
        />
      </Group>
      <AdminTable
        label={t('audit.table')}
        items={items}
        query={log}
        minWidth={800}
        columns={[t('audit.when'), t('audit.actor'), t('audit.action'), t('audit.target'), t('audit.details'), t('audit.ip')]}
        row={(e) => (
          <>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>
              <time dateTime={e.at}>{fmtDateTime(e.at)}</time>
            </Table.Td>
            <Table.Td>{actorName(e)}</Table.Td>
            <Table.Td><Code>{e.action}</Code></Table.Td>
            <Table.Td>{e.targetType ? `${e.targetType} ${e.targetId ? names.get(e.targetId) ?? e.targetId.slice(0, 8) : ''}` : '–'}</Table.Td>
            <Table.Td>
              <Text size="xs" ff="monospace" lineClamp={2} maw={360} style={{ wordBreak: 'break-all' }}>
                {e.data && Object.keys(e.data).length ? JSON.stringify(e.data) : '–'}
              </Text>
            </Table.Td>
            <Table.Td>{e.ip ?? '–'}</Table.Td>
          </>
        )}
      />
      <Group mt="md">
        <Button
          variant="default"
          disabled={!cursors.length}
          onClick={() => {
            setBefore(cursors[cursors.length - 1]);
            setCursors(cursors.slice(0, -1));
          }}
        >
          {t('audit.newer')}
        </Button>
        <Button
          variant="default"
          disabled={items.length < PAGE}
          onClick={() => {
            setCursors([...cursors, before]);
            setBefore(items[items.length - 1].id);
          }}
        >
          {t('audit.older')}
        </Button>
        <Text size="sm" c="dimmed" role="status">{t('audit.page', { n: cursors.length + 1 })}</Text>
      </Group>
    </>
  );
}
