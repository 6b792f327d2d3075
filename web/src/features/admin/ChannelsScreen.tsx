/**
 * Mailboxes and channels: mailboxes (address, queue, what a reply to a closed conversation does, auto-acknowledgement),
 * the web contact form's topics, the chat widget's embed snippet, and how to read existing mailboxes over IMAP (CLI).
 */
import { useEffect, useState } from 'react';
import { ActionIcon, Anchor, Button, Divider, Fieldset, Group, Select, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { del, get, patch, post, put } from '../../lib/api';
import { useQueues } from '../../api/queues';
import type { ApiOk, Item } from '../../api/types';
import { AdminTable, CopyValue, EditModal, EditRemoveCell, ErrorAlert, ListState, ModalForm, ReadOnlyNote, SaveRow, ScreenHeader, SubmitForm, useFieldErrors, useRole, useSave } from './ui';

type Mailbox = ApiOk<'/api/v1/mailboxes/{id}', 'patch'>;
type Topic = Item<ApiOk<'/api/v1/web/settings', 'get'>['topics']>;

const settingsKey = (id: string) => ['admin', 'mailbox-settings', id];

function MailboxForm({ mailbox, autoAck: initialAck, onClose }: { mailbox: Mailbox | null; autoAck: boolean; onClose: () => void }) {
  const { t } = useTranslation('admin');
  const queues = useQueues();
  const [address, setAddress] = useState(mailbox?.address ?? '');
  const [name, setName] = useState(mailbox?.name ?? '');
  const [queueId, setQueueId] = useState<string | null>(mailbox?.queueId ?? null);
  const [onClosed, setOnClosed] = useState<string>(mailbox?.onClosed ?? 'reopen');
  const [autoAck, setAutoAck] = useState(initialAck);
  const save = useSave(
    async () => {
      const body = { address, name, queueId, onClosed };
      const m = mailbox ? await patch<Mailbox>(`/mailboxes/${mailbox.id}`, body) : await post<Mailbox>('/mailboxes', body);
      if (autoAck !== initialAck || !mailbox) await put(`/mailboxes/${m.id}/settings`, { autoAck });
      return m;
    },
    [['admin', 'mailboxes'], ['admin', 'mailbox-settings']],
    onClose,
  );
  const { fe, rest } = useFieldErrors(save.error, ['address', 'name', 'queueId', 'onClosed', 'autoAck']);
  return (
    <ModalForm save={save} error={rest} submitLabel={mailbox ? t('common.save') : t('mailboxes.add')} onClose={onClose}>
      <TextInput label={t('mailboxes.address')} type="email" value={address} onChange={(e) => setAddress(e.currentTarget.value)} error={fe('address')} required data-autofocus />
      <TextInput label={t('mailboxes.name')} description={t('mailboxes.nameHelp')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={fe('name')} />
      <Select label={t('mailboxes.queue')} clearable placeholder={t('mailboxes.noQueue')} value={queueId} onChange={setQueueId} data={(queues.data?.items ?? []).map((q) => ({ value: q.id, label: q.name }))} error={fe('queueId')} />
      <Select
        label={t('mailboxes.onClosed')}
        value={onClosed}
        onChange={(v) => v && setOnClosed(v)}
        allowDeselect={false}
        data={['reopen', 'follow_up'].map((v) => ({ value: v, label: t(`mailboxes.onClosedValues.${v}`) }))}
        error={fe('onClosed')}
      />
      <Switch label={t('mailboxes.autoAck')} description={t('mailboxes.autoAckHelp')} checked={autoAck} onChange={(e) => setAutoAck(e.currentTarget.checked)} error={fe('autoAck')} />
    </ModalForm>
  );
}

function Mailboxes() {
  const { t } = useTranslation('admin');
  const { admin } = useRole();
  const queues = useQueues();
  const queueName = new Map((queues.data?.items ?? []).map((q) => [q.id, q.name]));
  const list = useQuery({ queryKey: ['admin', 'mailboxes'], queryFn: () => get<{ items: Mailbox[] }>('/mailboxes').then((r) => r.items) });
  const settings = useQueries({
    queries: (list.data ?? []).map((m) => ({ queryKey: settingsKey(m.id), queryFn: () => get<ApiOk<'/api/v1/mailboxes/{id}/settings', 'get'>>(`/mailboxes/${m.id}/settings`) })),
  });
  const ack = new Map((list.data ?? []).map((m, i) => [m.id, settings[i]?.data?.autoAck]));
  const [editing, setEditing] = useState<Mailbox | null | 'new'>(null);
  const remove = useSave((id: string) => del(`/mailboxes/${id}`), [['admin', 'mailboxes']]);
  return (
    <section aria-labelledby="mailboxes-heading">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h5" id="mailboxes-heading">{t('mailboxes.title')}</Title>
        {admin && <Button size="xs" onClick={() => setEditing('new')}>{t('mailboxes.add')}</Button>}
      </Group>
      <Text size="sm" c="dimmed" mb="xs">{t('mailboxes.intro')}</Text>
      <ReadOnlyNote cap="admin" />
      <AdminTable
        label={t('mailboxes.table')}
        items={list.data}
        query={list}
        minWidth={700}
        columns={[t('mailboxes.address'), t('mailboxes.name'), t('mailboxes.queue'), t('mailboxes.onClosed'), t('mailboxes.autoAckShort'), admin && t('common.actions')]}
        row={(m) => (
          <>
            <Table.Td>{m.address}</Table.Td>
            <Table.Td>{m.name || '–'}</Table.Td>
            <Table.Td>{(m.queueId && queueName.get(m.queueId)) || '–'}</Table.Td>
            <Table.Td>{t(`mailboxes.onClosedValues.${m.onClosed}`)}</Table.Td>
            <Table.Td>{ack.get(m.id) === undefined ? '…' : ack.get(m.id) ? t('common.on') : t('common.off')}</Table.Td>
            {admin && (
              <EditRemoveCell
                what={m.address}
                onEdit={() => setEditing(m)}
                removeLabel={t('common.remove')}
                title={t('mailboxes.removeTitle', { address: m.address })}
                message={t('mailboxes.removeText')}
                onRemove={() => remove.mutateAsync(m.id)}
              />
            )}
          </>
        )}
      />
      <EditModal
        editing={editing}
        setEditing={setEditing}
        addTitle={t('mailboxes.add')}
        editTitle={t('mailboxes.edit')}
        form={(mailbox, close) => <MailboxForm mailbox={mailbox} autoAck={mailbox ? !!ack.get(mailbox.id) : false} onClose={close} />}
      />
    </section>
  );
}

function WebForm({ slug }: { slug: string }) {
  const { t } = useTranslation('admin');
  const queues = useQueues();
  const qdata = (queues.data?.items ?? []).map((q) => ({ value: q.id, label: q.name }));
  const settings = useQuery({ queryKey: ['admin', 'web-settings'], queryFn: () => get<ApiOk<'/api/v1/web/settings', 'get'>>('/web/settings') });
  const [topics, setTopics] = useState<Topic[]>([]);
  const [defaultQueueId, setDefault] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (settings.data) {
      setTopics(settings.data.topics);
      setDefault(settings.data.defaultQueueId);
    }
  }, [settings.data]);
  const save = useSave(() => put('/web/settings', { topics, defaultQueueId }), [['admin', 'web-settings']], () => setSaved(true));
  const fields = topics.flatMap((_, i) => [`topics/${i}/key`, `topics/${i}/label/en`, `topics/${i}/label/de`, `topics/${i}/label/nb`, `topics/${i}/queueId`]);
  const { fe, rest } = useFieldErrors(save.error, [...fields, 'defaultQueueId', 'topics']);
  const set = (i: number, tp: Topic) => {
    setSaved(false);
    setTopics(topics.map((x, j) => (j === i ? tp : x)));
  };
  const formUrl = `${location.origin}/contact/${slug}`;
  return (
    <section aria-labelledby="webform-heading">
      <Title order={3} size="h5" id="webform-heading" mb="xs">{t('webform.title')}</Title>
      <Text size="sm" c="dimmed" mb="xs">
        {t('webform.intro')}{' '}
        <Anchor underline="always" href={formUrl} target="_blank" rel="noreferrer">{formUrl}</Anchor>
      </Text>
      <ListState loading={settings.isLoading} error={settings.error} empty={false} />
      {settings.data && (
        <SubmitForm
          onSubmit={() => {
            setSaved(false);
            save.mutate(undefined);
          }}
        >
          <Stack gap="sm">
            {topics.map((tp, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: topics have no id (their key is typed into); each is labelled and edited by its position
              <Fieldset key={i} legend={t('webform.topicN', { n: i + 1 })}>
                <Group align="flex-end" gap="xs" wrap="wrap">
                  <TextInput w={130} label={t('webform.key')} value={tp.key} onChange={(e) => set(i, { ...tp, key: e.currentTarget.value })} error={fe(`topics/${i}/key`)} required />
                  <TextInput w={170} label={t('webform.labelEn')} value={tp.label.en} onChange={(e) => set(i, { ...tp, label: { ...tp.label, en: e.currentTarget.value } })} error={fe(`topics/${i}/label/en`)} required />
                  <TextInput w={170} label={t('webform.labelDe')} value={tp.label.de ?? ''} onChange={(e) => set(i, { ...tp, label: { ...tp.label, de: e.currentTarget.value } })} error={fe(`topics/${i}/label/de`)} />
                  <TextInput w={170} label={t('webform.labelNb')} value={tp.label.nb ?? ''} onChange={(e) => set(i, { ...tp, label: { ...tp.label, nb: e.currentTarget.value } })} error={fe(`topics/${i}/label/nb`)} />
                  <Select w={170} label={t('webform.queue')} clearable placeholder={t('webform.defaultQueue')} value={tp.queueId} onChange={(v) => set(i, { ...tp, queueId: v })} data={qdata} error={fe(`topics/${i}/queueId`)} />
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    size="lg"
                    aria-label={t('webform.removeTopic', { n: i + 1 })}
                    onClick={() => {
                      setSaved(false);
                      setTopics(topics.filter((_, j) => j !== i));
                    }}
                  >
                    <span aria-hidden>×</span>
                  </ActionIcon>
                </Group>
              </Fieldset>
            ))}
            <Group>
              <Button variant="default" size="xs" onClick={() => setTopics([...topics, { key: '', label: { en: '' }, queueId: null }])}>
                {t('webform.addTopic')}
              </Button>
            </Group>
            <Select maw={320} label={t('webform.defaultQueue')} clearable placeholder={t('mailboxes.noQueue')} value={defaultQueueId} onChange={(v) => { setSaved(false); setDefault(v); }} data={qdata} error={fe('defaultQueueId')} />
            <ErrorAlert message={rest} />
            <SaveRow label={t('webform.save')} pending={save.isPending} saved={saved} />
          </Stack>
        </SubmitForm>
      )}
    </section>
  );
}

/**
 * The chat widget's embed code, with the queue the chats go to (data-queue: the queue's id, so a rename keeps it; the
 * server checks it is a queue of this account). Without a queue chats are not routed and have no SLA, so the screen
 * says so.
 */
function ChatWidget({ slug }: { slug: string }) {
  const { t } = useTranslation('admin');
  const queues = useQueues();
  const [queueId, setQueueId] = useState<string | null>(null);
  const snippet = `<script src="${location.origin}/widget.js" data-account="${slug}"${queueId ? ` data-queue="${queueId}"` : ''}></script>`;
  return (
    <section aria-labelledby="widget-heading">
      <Title order={3} size="h5" id="widget-heading" mb="xs">{t('widget.title')}</Title>
      <Text size="sm" c="dimmed" mb="xs">{t('widget.intro')}</Text>
      <Select
        maw={420}
        mb="xs"
        label={t('widget.queue')}
        description={t('widget.queueHelp')}
        clearable
        placeholder={t('widget.noQueue')}
        value={queueId}
        onChange={setQueueId}
        data={(queues.data?.items ?? []).map((q) => ({ value: q.id, label: q.name }))}
      />
      <CopyValue value={snippet} label={t('widget.snippet')} testId="widget-snippet" />
      <Text size="sm" c="dimmed" mt="xs">{queueId ? t('widget.options') : `${t('widget.noQueue')}. ${t('widget.options')}`}</Text>
    </section>
  );
}

export function ChannelsScreen() {
  const { t } = useTranslation('admin');
  const { me, admin } = useRole();
  const slug = me?.account.slug ?? '';
  return (
    <>
      <ScreenHeader title={t('nav.channels')} description={t('channels.intro')} />
      <Stack gap="xl">
        <Mailboxes />
        <Divider />
        {admin && (
          <>
            <WebForm slug={slug} />
            <Divider />
          </>
        )}
        <ChatWidget slug={slug} />
        <Divider />
        <section aria-labelledby="imap-heading">
          <Title order={3} size="h5" id="imap-heading" mb="xs">{t('imap.title')}</Title>
          <Text size="sm" c="dimmed" mb="xs">{t('imap.intro')}</Text>
          <CopyValue
            label={t('imap.command')}
            value={`IMAP_PASSWORD=… earshot imap add --account ${slug} --mailbox support@example.com \\\n  --host imap.example.com --secure --user support@example.com --password-env IMAP_PASSWORD\nearshot imap list --account ${slug}`}
          />
        </section>
      </Stack>
    </>
  );
}
