/** Webhooks (admin): signed deliveries of events to a URL; the signing secret is shown once; recent deliveries. */
import { useState } from 'react';
import { Button, Checkbox, Stack, Table, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { del, get, post } from '../../lib/api';
import { fmtDateTime } from '../../lib/format';
import type { ApiOk, Item } from '../../api/types';
import { ActionsCell, AdminModal, AdminTable, ModalForm, RowButton, RowConfirmButton, ScreenHeader, SecretModal, Tag, useFieldErrors, useSave, useSecretModal } from './ui';

type WebhookList = ApiOk<'/api/v1/webhooks', 'get'>;
type Webhook = Item<WebhookList['items']>;
type NewWebhook = ApiOk<'/api/v1/webhooks', 'post'>;
type DeliveryList = ApiOk<'/api/v1/webhooks/{id}/deliveries', 'get'>;

function WebhookForm({ events, onCreated, onClose }: { events: string[]; onCreated: (secret: string) => void; onClose: () => void }) {
  const { t } = useTranslation('admin');
  const [url, setUrl] = useState('https://');
  const [chosen, setChosen] = useState<string[]>(events);
  const [secret, setSecret] = useState('');
  const save = useSave(
    () => post<NewWebhook>('/webhooks', { url, events: chosen, ...(secret ? { secret } : {}) }),
    [['admin', 'webhooks']],
    (w) => onCreated(w.secret),
  );
  const { fe, rest } = useFieldErrors(save.error, ['url', 'events', 'secret']);
  return (
    <ModalForm save={save} error={rest} submitLabel={t('webhooks.add')} onClose={onClose}>
      <TextInput label={t('webhooks.url')} type="url" value={url} onChange={(e) => setUrl(e.currentTarget.value)} error={fe('url')} required data-autofocus />
      <Checkbox.Group label={t('webhooks.events')} value={chosen} onChange={setChosen} error={fe('events')}>
        <Stack gap={6} mt={6}>
          {events.map((e) => (
            <Checkbox key={e} value={e} label={e} />
          ))}
        </Stack>
      </Checkbox.Group>
      <TextInput label={t('webhooks.secret')} description={t('webhooks.secretHelp')} value={secret} onChange={(e) => setSecret(e.currentTarget.value)} error={fe('secret')} autoComplete="off" />
    </ModalForm>
  );
}

function Deliveries({ webhook }: { webhook: Webhook }) {
  const { t } = useTranslation('admin');
  const q = useQuery({ queryKey: ['admin', 'webhook-deliveries', webhook.id], queryFn: () => get<DeliveryList>(`/webhooks/${webhook.id}/deliveries`).then((r) => r.items) });
  return (
    <AdminTable
      label={t('webhooks.deliveriesTable')}
      items={q.data}
      query={q}
      minWidth={600}
      columns={[t('webhooks.when'), t('webhooks.event'), t('webhooks.status'), t('webhooks.attempts'), t('webhooks.response')]}
      row={(d) => (
        <>
          <Table.Td>{fmtDateTime(d.createdAt)}</Table.Td>
          <Table.Td>{d.event}</Table.Td>
          <Table.Td>
            <Tag color={d.status === 'delivered' ? 'teal' : d.status === 'failed' ? 'red' : 'gray'}>{t(`webhooks.statuses.${d.status}`, { defaultValue: d.status })}</Tag>
          </Table.Td>
          <Table.Td>{d.attempts}</Table.Td>
          <Table.Td>{d.responseStatus ?? d.lastError ?? '–'}</Table.Td>
        </>
      )}
    />
  );
}

export function WebhooksScreen() {
  const { t } = useTranslation('admin');
  const hooks = useQuery({ queryKey: ['admin', 'webhooks'], queryFn: () => get<WebhookList>('/webhooks') });
  const created = useSecretModal();
  const [showing, setShowing] = useState<Webhook | null>(null);
  const remove = useSave((id: string) => del(`/webhooks/${id}`), [['admin', 'webhooks']]);
  return (
    <>
      <ScreenHeader title={t('nav.webhooks')} description={t('webhooks.intro')} action={<Button onClick={created.open}>{t('webhooks.add')}</Button>} />
      <AdminTable
        label={t('webhooks.table')}
        items={hooks.data?.items}
        query={hooks}
        minWidth={700}
        columns={[t('webhooks.url'), t('webhooks.events'), t('webhooks.created'), t('common.actions')]}
        row={(w) => (
          <>
            <Table.Td style={{ wordBreak: 'break-all' }}>{w.url}</Table.Td>
            <Table.Td>{w.events.join(', ')}</Table.Td>
            <Table.Td>{fmtDateTime(w.createdAt)}</Table.Td>
            <ActionsCell>
              <RowButton label={t('webhooks.deliveries')} what={w.url} onClick={() => setShowing(w)} />
              <RowConfirmButton
                label={t('common.delete')}
                what={w.url}
                title={t('webhooks.deleteTitle')}
                message={t('webhooks.deleteText', { url: w.url })}
                onConfirm={() => remove.mutateAsync(w.id)}
              />
            </ActionsCell>
          </>
        )}
      />
      <SecretModal
        state={created}
        title={t('webhooks.add')}
        createdTitle={t('webhooks.createdTitle')}
        notice={t('webhooks.secretOnce')}
        label={t('webhooks.secret')}
        testId="webhook-secret"
        hint={t('webhooks.signature')}
        form={(onCreated, onClose) => <WebhookForm events={hooks.data?.events ?? []} onCreated={onCreated} onClose={onClose} />}
      />
      <AdminModal size="xl" opened={showing !== null} onClose={() => setShowing(null)} title={t('webhooks.deliveriesOf', { url: showing?.url ?? '' })}>
        {showing && <Deliveries webhook={showing} />}
      </AdminModal>
    </>
  );
}
