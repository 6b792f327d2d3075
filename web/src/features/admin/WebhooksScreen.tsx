/** Webhooks (admin): signed deliveries of events to a URL; the signing secret is shown once; recent deliveries. */
import { useState } from 'react';
import { Alert, Button, Checkbox, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { del, get, post } from '../../lib/api';
import { fmtDateTime } from '../../lib/format';
import { AdminModal, ConfirmButton, CopyValue, ErrorAlert, ListState, ScreenHeader, useFieldErrors, useSave, Tag } from './ui';

interface Webhook {
  id: string;
  url: string;
  events: string[];
  active: boolean;
  createdAt: string;
}
interface Delivery {
  id: string;
  event: string;
  status: string;
  attempts: number;
  responseStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

function WebhookForm({ events, onCreated, onClose }: { events: string[]; onCreated: (secret: string) => void; onClose: () => void }) {
  const { t } = useTranslation('admin');
  const [url, setUrl] = useState('https://');
  const [chosen, setChosen] = useState<string[]>(events);
  const [secret, setSecret] = useState('');
  const save = useSave(
    () => post<Webhook & { secret: string }>('/webhooks', { url, events: chosen, ...(secret ? { secret } : {}) }),
    [['admin', 'webhooks']],
    (w) => onCreated(w.secret),
  );
  const { fe, rest } = useFieldErrors(save.error, ['url', 'events', 'secret']);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(undefined);
      }}
    >
      <Stack>
        <TextInput label={t('webhooks.url')} type="url" value={url} onChange={(e) => setUrl(e.currentTarget.value)} error={fe('url')} required data-autofocus />
        <Checkbox.Group label={t('webhooks.events')} value={chosen} onChange={setChosen} error={fe('events')}>
          <Stack gap={6} mt={6}>
            {events.map((e) => (
              <Checkbox key={e} value={e} label={e} />
            ))}
          </Stack>
        </Checkbox.Group>
        <TextInput label={t('webhooks.secret')} description={t('webhooks.secretHelp')} value={secret} onChange={(e) => setSecret(e.currentTarget.value)} error={fe('secret')} autoComplete="off" />
        <ErrorAlert message={rest} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" loading={save.isPending}>{t('webhooks.add')}</Button>
        </Group>
      </Stack>
    </form>
  );
}

function Deliveries({ webhook }: { webhook: Webhook }) {
  const { t } = useTranslation('admin');
  const q = useQuery({ queryKey: ['admin', 'webhook-deliveries', webhook.id], queryFn: () => get<{ items: Delivery[] }>(`/webhooks/${webhook.id}/deliveries`).then((r) => r.items) });
  return (
    <>
      <ListState loading={q.isLoading} error={q.error} empty={!q.data?.length} />
      {!!q.data?.length && (
        <Table.ScrollContainer minWidth={600}>
          <Table aria-label={t('webhooks.deliveriesTable')} striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('webhooks.when')}</Table.Th>
                <Table.Th>{t('webhooks.event')}</Table.Th>
                <Table.Th>{t('webhooks.status')}</Table.Th>
                <Table.Th>{t('webhooks.attempts')}</Table.Th>
                <Table.Th>{t('webhooks.response')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {q.data.map((d) => (
                <Table.Tr key={d.id}>
                  <Table.Td>{fmtDateTime(d.createdAt)}</Table.Td>
                  <Table.Td>{d.event}</Table.Td>
                  <Table.Td>
                    <Tag color={d.status === 'delivered' ? 'teal' : d.status === 'failed' ? 'red' : 'gray'}>{t(`webhooks.statuses.${d.status}`, { defaultValue: d.status })}</Tag>
                  </Table.Td>
                  <Table.Td>{d.attempts}</Table.Td>
                  <Table.Td>{d.responseStatus ?? d.lastError ?? '–'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </>
  );
}

export function WebhooksScreen() {
  const { t } = useTranslation('admin');
  const hooks = useQuery({ queryKey: ['admin', 'webhooks'], queryFn: () => get<{ items: Webhook[]; events: string[] }>('/webhooks') });
  const [adding, setAdding] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [showing, setShowing] = useState<Webhook | null>(null);
  const remove = useSave((id: string) => del(`/webhooks/${id}`), [['admin', 'webhooks']]);
  const items = hooks.data?.items ?? [];
  return (
    <>
      <ScreenHeader title={t('nav.webhooks')} description={t('webhooks.intro')} action={<Button onClick={() => { setSecret(null); setAdding(true); }}>{t('webhooks.add')}</Button>} />
      <ListState loading={hooks.isLoading} error={hooks.error} empty={!items.length} />
      {!!items.length && (
        <Table.ScrollContainer minWidth={700}>
          <Table aria-label={t('webhooks.table')} striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('webhooks.url')}</Table.Th>
                <Table.Th>{t('webhooks.events')}</Table.Th>
                <Table.Th>{t('webhooks.created')}</Table.Th>
                <Table.Th>{t('common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((w) => (
                <Table.Tr key={w.id}>
                  <Table.Td style={{ wordBreak: 'break-all' }}>{w.url}</Table.Td>
                  <Table.Td>{w.events.join(', ')}</Table.Td>
                  <Table.Td>{fmtDateTime(w.createdAt)}</Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Button size="xs" variant="default" onClick={() => setShowing(w)} aria-label={`${t('webhooks.deliveries')}: ${w.url}`}>
                        {t('webhooks.deliveries')}
                      </Button>
                      <ConfirmButton
                        label={t('common.delete')}
                        buttonProps={{ 'aria-label': `${t('common.delete')}: ${w.url}` }}
                        title={t('webhooks.deleteTitle')}
                        message={t('webhooks.deleteText', { url: w.url })}
                        confirmLabel={t('common.delete')}
                        onConfirm={() => remove.mutateAsync(w.id)}
                      />
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <AdminModal opened={adding} onClose={() => setAdding(false)} title={secret ? t('webhooks.createdTitle') : t('webhooks.add')}>
        {adding &&
          (secret ? (
            <Stack>
              <Alert color="yellow" title={t('common.shownOnce')}>{t('webhooks.secretOnce')}</Alert>
              <CopyValue value={secret} label={t('webhooks.secret')} testId="webhook-secret" />
              <Text size="xs" c="dimmed">{t('webhooks.signature')}</Text>
              <Group justify="flex-end">
                <Button onClick={() => setAdding(false)}>{t('common.done')}</Button>
              </Group>
            </Stack>
          ) : (
            <WebhookForm events={hooks.data?.events ?? []} onCreated={setSecret} onClose={() => setAdding(false)} />
          ))}
      </AdminModal>
      <AdminModal size="xl" opened={showing !== null} onClose={() => setShowing(null)} title={t('webhooks.deliveriesOf', { url: showing?.url ?? '' })}>
        {showing && <Deliveries webhook={showing} />}
      </AdminModal>
    </>
  );
}
