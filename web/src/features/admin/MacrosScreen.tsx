/** Macros: canned replies or notes with placeholders, and actions (status, priority, tags, queue) applied with them. */
import { useState } from 'react';
import { Button, Code, Group, SegmentedControl, Select, Table, TagsInput, Text, Textarea, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { del, get, patch, post } from '../../lib/api';
import { useQueues } from '../../api/queues';
import type { ApiBody, ApiOk, Item } from '../../api/types';
import { AdminTable, EditModal, EditRemoveCell, ModalForm, ReadOnlyNote, ScreenHeader, useFieldErrors, useRole, useSave } from './ui';

type MacroList = ApiOk<'/api/v1/macros', 'get'>;
type Macro = Item<MacroList['items']>;
type Actions = Macro['actions'];
type NewMacro = ApiBody<'/api/v1/macros', 'post'>;
type Status = NonNullable<Actions['status']>;
type Priority = NonNullable<Actions['priority']>;

const STATUSES: Status[] = ['open', 'pending', 'on_hold', 'solved'];
const PRIORITIES: Priority[] = ['low', 'normal', 'high', 'urgent'];

function MacroForm({ macro, placeholders, onClose }: { macro: Macro | null; placeholders: string[]; onClose: () => void }) {
  const { t } = useTranslation('admin');
  const queues = useQueues();
  const [name, setName] = useState(macro?.name ?? '');
  const [kind, setKind] = useState<Macro['kind']>(macro?.kind ?? 'reply');
  const [body, setBody] = useState(macro?.body ?? '');
  const [language, setLanguage] = useState<NonNullable<Macro['language']> | 'any'>(macro?.language ?? 'any');
  const [status, setStatus] = useState<Status | null>(macro?.actions.status ?? null);
  const [priority, setPriority] = useState<Priority | null>(macro?.actions.priority ?? null);
  const [tags, setTags] = useState<string[]>(macro?.actions.addTags ?? []);
  const [queueId, setQueueId] = useState<string | null>(macro?.actions.queueId ?? null);
  const save = useSave(
    () => {
      const actions: Actions = {};
      if (status) actions.status = status;
      if (priority) actions.priority = priority;
      if (tags.length) actions.addTags = tags;
      if (queueId) actions.queueId = queueId;
      const input: NewMacro = { name, kind, body, language: language === 'any' ? null : language, actions };
      return macro ? patch(`/macros/${macro.id}`, input) : post('/macros', input);
    },
    [['admin', 'macros']],
    onClose,
  );
  const { fe, rest } = useFieldErrors(save.error, ['name', 'kind', 'body', 'language', 'actions/status', 'actions/priority', 'actions/addTags', 'actions/queueId', 'actions']);
  return (
    <ModalForm save={save} error={rest ?? fe('actions')} submitLabel={macro ? t('common.save') : t('macros.add')} onClose={onClose}>
      <TextInput label={t('macros.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={fe('name')} required data-autofocus />
      <div>
        <Text size="sm" fw={500} id="macro-kind">{t('macros.kind')}</Text>
        <SegmentedControl
          aria-labelledby="macro-kind"
          value={kind}
          onChange={(v) => setKind(v as Macro['kind'])}
          data={[
            { value: 'reply', label: t('macros.kinds.reply') },
            { value: 'note', label: t('macros.kinds.note') },
          ]}
        />
      </div>
      {/* The composer offers macros in the conversation's language first and warns before one in another language. */}
      <Select label={t('macros.language')} allowDeselect={false} value={language} onChange={(v) => setLanguage((v ?? 'any') as typeof language)} error={fe('language')}
        data={[{ value: 'any', label: t('macros.anyLanguage') }, ...(['en', 'de', 'nb'] as const).map((l) => ({ value: l, label: t(`lang.${l}`, { ns: 'common' }) }))]} />
      <Textarea label={t('macros.body')} autosize minRows={5} value={body} onChange={(e) => setBody(e.currentTarget.value)} error={fe('body')} required />
      <Text size="xs" c="dimmed">
        {t('macros.placeholders')}{' '}
        {placeholders.map((p) => (
          <Code key={p} mr={4}>{`{{${p}}}`}</Code>
        ))}
      </Text>
      <Group grow>
        <Select label={t('macros.setStatus')} clearable placeholder={t('macros.unchanged')} value={status} onChange={(v) => setStatus(v as Status | null)} data={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))} error={fe('actions/status')} />
        <Select label={t('macros.setPriority')} clearable placeholder={t('macros.unchanged')} value={priority} onChange={(v) => setPriority(v as Priority | null)} data={PRIORITIES.map((s) => ({ value: s, label: t(`priority.${s}`) }))} error={fe('actions/priority')} />
      </Group>
      <TagsInput label={t('macros.addTags')} value={tags} onChange={setTags} error={fe('actions/addTags')} />
      <Select label={t('macros.moveTo')} clearable placeholder={t('macros.unchanged')} value={queueId} onChange={setQueueId} data={(queues.data?.items ?? []).map((q) => ({ value: q.id, label: q.name }))} error={fe('actions/queueId')} />
    </ModalForm>
  );
}

export function MacrosScreen() {
  const { t } = useTranslation('admin');
  const { manage } = useRole();
  const macros = useQuery({ queryKey: ['admin', 'macros'], queryFn: () => get<MacroList>('/macros') });
  const queues = useQueues();
  const queueName = new Map((queues.data?.items ?? []).map((q) => [q.id, q.name]));
  const [editing, setEditing] = useState<Macro | null | 'new'>(null);
  const remove = useSave((id: string) => del(`/macros/${id}`), [['admin', 'macros']]);
  const describe = (a: Macro['actions']) =>
    [
      a.status && `${t('macros.setStatus')}: ${t(`status.${a.status}`)}`,
      a.priority && `${t('macros.setPriority')}: ${t(`priority.${a.priority}`)}`,
      a.addTags?.length && `${t('macros.addTags')}: ${a.addTags.join(', ')}`,
      a.queueId && `${t('macros.moveTo')}: ${queueName.get(a.queueId) ?? a.queueId}`,
    ]
      .filter(Boolean)
      .join(' · ') || '–';
  return (
    <>
      <ScreenHeader title={t('nav.macros')} description={t('macros.intro')} action={manage && <Button onClick={() => setEditing('new')}>{t('macros.add')}</Button>} />
      <ReadOnlyNote cap="manage" />
      <AdminTable
        label={t('macros.table')}
        items={macros.data?.items}
        query={macros}
        minWidth={700}
        columns={[t('macros.name'), t('macros.kind'), t('macros.body'), t('macros.actions'), manage && t('common.actions')]}
        row={(m) => (
          <>
            <Table.Td>{m.name}</Table.Td>
            <Table.Td>{t(`macros.kinds.${m.kind}`)}</Table.Td>
            <Table.Td>
              <Text size="sm" lineClamp={2} maw={360}>{m.body}</Text>
            </Table.Td>
            <Table.Td>{describe(m.actions ?? {})}</Table.Td>
            {manage && (
              <EditRemoveCell
                what={m.name}
                onEdit={() => setEditing(m)}
                removeLabel={t('common.delete')}
                title={t('macros.deleteTitle', { name: m.name })}
                message={t('macros.deleteText')}
                onRemove={() => remove.mutateAsync(m.id)}
              />
            )}
          </>
        )}
      />
      <EditModal
        size="lg"
        editing={editing}
        setEditing={setEditing}
        addTitle={t('macros.add')}
        editTitle={t('macros.edit')}
        form={(macro, close) => <MacroForm macro={macro} placeholders={macros.data?.placeholders ?? []} onClose={close} />}
      />
    </>
  );
}
