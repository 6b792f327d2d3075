/** The audit log (admin): newest first, paged, filtered by action and actor, times in the chosen language. */
import { useState } from 'react';
import { Anchor, Autocomplete, Button, Group, Select, Table, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { Link } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get, qs } from '../../lib/api';
import { fmtDateTime } from '../../lib/format';
import type { ApiOk } from '../../api/types';
import { useUsers } from './UsersScreen';
import { AdminTable, ScreenHeader } from './ui';

interface Entry {
  id: number;
  actorType: 'user' | 'token' | 'system' | 'cli';
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  /** The object as people name it (#number, a name, an address), from the server; null when it is gone. */
  targetLabel: string | null;
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

const words = (code: string) => code.replace(/[._]/g, ' ');
const keyWords = (k: string) => k.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** "conversation.assigned" → "Conversation: assigned" (Konversation: zugewiesen …); unknown parts as words. */
export function actionLabel(t: TFunction<'admin'>, action: string) {
  const parts = action.split('.');
  const verb = parts.pop() ?? '';
  const object = parts.join('_');
  return `${t(`audit.objects.${object}`, { defaultValue: words(object) })}: ${t(`audit.verbs.${verb}`, { defaultValue: words(verb) })}`;
}

/** The details as "key: value" lines: ids named where known, yes/no, lists joined; nested values stay compact. */
function Details({ data, names }: { data: Record<string, unknown>; names: Map<string, string> }) {
  const { t } = useTranslation('admin');
  const entries = Object.entries(data ?? {}).filter(([, v]) => v !== null && v !== undefined && v !== '');
  if (!entries.length) return <>–</>;
  const show = (v: unknown): string =>
    typeof v === 'boolean' ? t(v ? 'audit.yes' : 'audit.no')
      : typeof v === 'string' ? (UUID.test(v) ? names.get(v) ?? v.slice(0, 8) : v)
        : typeof v === 'number' ? String(v)
          : Array.isArray(v) ? v.map(show).join(', ')
            : v && typeof v === 'object' && 'type' in v && 'id' in v
              ? `${t(`audit.objects.${String(v.type)}`, { defaultValue: words(String(v.type)) })} ${show(v.id)}`
              : Object.entries(v as object).map(([k, x]) => `${keyWords(k)} ${show(x)}`).join(', ');
  return (
    <Text size="xs" component="div" maw={360}>
      {entries.map(([k, v]) => (
        <div key={k} style={{ overflowWrap: 'anywhere' }}>
          <Text span size="xs" c="dimmed">{keyWords(k)}:</Text>{' '}
          {k === 'conversationId' && typeof v === 'string' && UUID.test(v)
            ? <Anchor component={Link} to={`/conversations/${v}`} size="xs">{t('audit.openConversationShort')}</Anchor>
            : show(v)}
        </div>
      ))}
    </Text>
  );
}

export function AuditScreen() {
  const { t } = useTranslation('admin');
  const users = useUsers();
  const tokens = useQuery({ queryKey: ['admin', 'tokens'], queryFn: () => get<ApiOk<'/api/v1/tokens', 'get'>>('/tokens').then((r) => r.items) });
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
            <Table.Td title={e.action}>{actionLabel(t, e.action)}</Table.Td>
            <Table.Td><Target e={e} names={names} /></Table.Td>
            <Table.Td><Details data={e.data} names={names} /></Table.Td>
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

/** The kinds the server names (src/modules/audit/audit.service.ts TARGET_LABEL): no name means it was deleted. */
const NAMED_TARGETS = new Set(['conversation', 'user', 'customer', 'queue', 'macro', 'mailbox', 'team', 'kb_article']);

/** The object of an entry: a conversation as a link "#123", a user by name, others by their kind and name. */
function Target({ e, names }: { e: Entry; names: Map<string, string> }) {
  const { t } = useTranslation('admin');
  if (!e.targetType) return <>–</>;
  const kind = t(`audit.objects.${e.targetType}`, { defaultValue: words(e.targetType) });
  const label = e.targetLabel ?? (e.targetId ? names.get(e.targetId) : undefined);
  if (e.targetType === 'conversation' && e.targetId && e.targetLabel)
    return <Anchor component={Link} to={`/conversations/${e.targetId}`} aria-label={t('audit.openConversation', { label: e.targetLabel })}>{e.targetLabel}</Anchor>;
  if (e.targetType === 'account') return <>{kind}</>;
  return (
    <>
      <Text span size="xs" c="dimmed">{kind}: </Text>
      {label ?? (!e.targetId ? '–' : NAMED_TARGETS.has(e.targetType)
        ? <Text span c="dimmed" title={e.targetId}>{t('audit.gone')}</Text>
        : <Text span ff="monospace" size="xs" title={e.targetId}>{e.targetId.slice(0, 8)}</Text>)}
    </>
  );
}
