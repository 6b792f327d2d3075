/**
 * The heart panel beside a conversation: why listening raised the priority (urgency, the customer's words, the
 * change), goodwill spent here, exceptions and moments; dialogs to spend goodwill, record an exception and capture a
 * moment (with the customer's consent recorded).
 */
import { useState } from 'react';
import { Alert, Badge, Button, Checkbox, Group, List, Modal, NumberInput, Paper, Radio, Select, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { post } from '../../lib/api';
import type { Conversation } from '../inbox/api';
import { KINDS, toMinor, useConversationHeart, useHeartMutation, withdraw, type ConversationHeart } from './api';
import { StatusBadge, useMoney } from './HeartPage';

type Dialog = 'spend' | 'exception' | 'moment' | null;

export function ConversationPanel({ conv }: { conv: Conversation }) {
  const { t } = useTranslation('heart');
  const fmt = useMoney();
  const q = useConversationHeart(conv.id);
  const [dialog, setDialog] = useState<Dialog>(null);
  const withdrawM = useHeartMutation((id: string) => withdraw(id), conv.id);
  const h = q.data;
  if (!h) return null;
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="heart-panel-title">
      <Title order={2} size="h5" id="heart-panel-title" mb="xs">{t('panel.title')}</Title>
      {h.urgency.length > 0 && (
        <Alert color="orange.9" variant="light" mb="sm" title={t('panel.urgentTitle')}>
          <List size="sm" spacing={4}>
            {h.urgency.map((u) => (
              <List.Item key={u.messageId}>
                <Text size="sm" span fw={600}>{t(`urgency.${u.urgency}`, { defaultValue: u.urgency })}</Text>
                {u.evidence && <Text size="sm" span>{` — ${t('panel.evidence', { text: u.evidence })}`}</Text>}
                <Text size="sm">
                  {u.priority
                    ? t('panel.raised', { from: t(`priority.${u.priority.from}`), to: t(`priority.${u.priority.to}`) })
                    : t('panel.notRaised')}
                </Text>
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      <Group gap="xs" mb="sm">
        <Button size="xs" variant="default" onClick={() => setDialog('spend')}>{t('panel.spend')}</Button>
        <Button size="xs" variant="default" onClick={() => setDialog('exception')}>{t('panel.exception')}</Button>
        <Button size="xs" variant="default" onClick={() => setDialog('moment')}>{t('panel.moment')}</Button>
      </Group>
      {h.spends.length > 0 && (
        <>
          <Title order={3} size="h6">{t('panel.spends')}</Title>
          <List size="sm" spacing={4} mb="xs">
            {h.spends.map((s) => (
              <List.Item key={s.id}>
                <Group gap={6} wrap="wrap">
                  <Text size="sm" span>{`${t(`kinds.${s.kind}`)}, ${fmt(s.amount, s.currency)} — ${s.spenderName}`}</Text>
                  <StatusBadge s={s} />
                </Group>
              </List.Item>
            ))}
          </List>
        </>
      )}
      {h.exceptions.length > 0 && (
        <>
          <Title order={3} size="h6">{t('panel.exceptions')}</Title>
          <List size="sm" spacing={4} mb="xs">
            {h.exceptions.map((e) => (
              <List.Item key={e.id}>
                <Text size="sm">{`${e.policy}: ${e.action}`}</Text>
                <Text size="xs" c="dimmed">{t('panel.because', { reason: e.reason, name: e.createdByName })}</Text>
              </List.Item>
            ))}
          </List>
        </>
      )}
      {h.moments.length > 0 && (
        <>
          <Title order={3} size="h6">{t('panel.moments')}</Title>
          <List size="sm" spacing={4}>
            {h.moments.map((m) => (
              <List.Item key={m.id}>
                <Group gap={6} wrap="wrap">
                  <Text size="sm" span>{m.title}</Text>
                  <Badge size="sm" variant="light" color={m.sharing === 'team' ? 'green.9' : 'gray.8'}>{t(`sharing.${m.sharing}`)}</Badge>
                  {m.consentGiven && !m.consentWithdrawnAt && (
                    <Button size="compact-xs" variant="subtle" c="red.9" loading={withdrawM.isPending} onClick={() => withdrawM.mutate(m.id)}
                      aria-label={`${t('panel.withdraw')}: ${m.title}`}>{t('panel.withdraw')}</Button>
                  )}
                </Group>
              </List.Item>
            ))}
          </List>
          {withdrawM.error && <Text size="sm" c="red.9" role="alert">{(withdrawM.error as Error).message}</Text>}
        </>
      )}
      {dialog === 'spend' && <SpendDialog h={h} onClose={() => setDialog(null)} />}
      {dialog === 'exception' && <ExceptionDialog h={h} onClose={() => setDialog(null)} />}
      {dialog === 'moment' && <MomentDialog h={h} onClose={() => setDialog(null)} />}
    </Paper>
  );
}

function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  return <Alert color="red" role="alert">{(error as Error).message}</Alert>;
}

function SpendDialog({ h, onClose }: { h: ConversationHeart; onClose: () => void }) {
  const { t } = useTranslation('heart');
  const fmt = useMoney();
  const [kind, setKind] = useState<string>('gift');
  const [amount, setAmount] = useState<number | string>('');
  const [description, setDescription] = useState('');
  const m = useHeartMutation(
    () => post(`/heart/conversations/${h.conversationId}/spends`, { kind, amount: toMinor(amount), description }),
    h.conversationId,
  );
  return (
    <Modal opened onClose={onClose} closeButtonProps={{ 'aria-label': t('close') }} title={t('panel.spend')}>
      <form onSubmit={(e) => { e.preventDefault(); m.mutate(undefined, { onSuccess: onClose }); }}>
        <Stack>
          <Text size="sm">{t('spendDialog.intro', { amount: fmt(h.approvalThreshold, h.currency) })}</Text>
          <Select label={t('spends.kind')} data={KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) }))} value={kind} onChange={(v) => setKind(v ?? 'gift')} allowDeselect={false} />
          <NumberInput label={t('spendDialog.amount', { currency: h.currency })} value={amount} onChange={setAmount} min={0.01} decimalScale={2} required data-autofocus />
          <Textarea label={t('spends.description')} value={description} onChange={(e) => setDescription(e.currentTarget.value)} required />
          <FormError error={m.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('cancel')}</Button>
            <Button type="submit" loading={m.isPending}>{t('spendDialog.submit')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ExceptionDialog({ h, onClose }: { h: ConversationHeart; onClose: () => void }) {
  const { t } = useTranslation('heart');
  const fmt = useMoney();
  const [policy, setPolicy] = useState('');
  const [action, setAction] = useState('');
  const [reason, setReason] = useState('');
  const [spendId, setSpendId] = useState<string | null>(null);
  const m = useHeartMutation(
    () => post(`/heart/conversations/${h.conversationId}/exceptions`, { policy, action, reason, ...(spendId ? { goodwillSpendId: spendId } : {}) }),
    h.conversationId,
  );
  return (
    <Modal opened onClose={onClose} closeButtonProps={{ 'aria-label': t('close') }} title={t('panel.exception')}>
      <form onSubmit={(e) => { e.preventDefault(); m.mutate(undefined, { onSuccess: onClose }); }}>
        <Stack>
          <TextInput label={t('exceptions.policy')} value={policy} onChange={(e) => setPolicy(e.currentTarget.value)} required data-autofocus />
          <Textarea label={t('exceptions.action')} value={action} onChange={(e) => setAction(e.currentTarget.value)} required />
          <Textarea label={t('exceptions.reason')} description={t('exceptionDialog.reasonHelp')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} required />
          {h.spends.length > 0 && (
            <Select label={t('exceptionDialog.spend')} clearable value={spendId} onChange={setSpendId}
              data={h.spends.map((s) => ({ value: s.id, label: `${t(`kinds.${s.kind}`)}, ${fmt(s.amount, s.currency)} — ${s.description}` }))} />
          )}
          <FormError error={m.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('cancel')}</Button>
            <Button type="submit" loading={m.isPending}>{t('exceptionDialog.submit')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function MomentDialog({ h, onClose }: { h: ConversationHeart; onClose: () => void }) {
  const { t } = useTranslation('heart');
  const [title, setTitle] = useState('');
  const [story, setStory] = useState('');
  const [consent, setConsent] = useState<'yes' | 'no'>('yes');
  const [how, setHow] = useState<string>('conversation');
  const [note, setNote] = useState('');
  const [anonymised, setAnonymised] = useState(false);
  const given = consent === 'yes';
  const m = useHeartMutation(
    () => post(`/heart/conversations/${h.conversationId}/moments`, {
      title, story,
      consent: given ? { given, how, ...(note ? { note } : {}) } : { given, ...(note ? { note } : {}) },
      sharing: given ? 'team' : anonymised ? 'anonymised' : 'private',
    }),
    h.conversationId,
  );
  return (
    <Modal opened onClose={onClose} closeButtonProps={{ 'aria-label': t('close') }} title={t('panel.moment')} size="lg">
      <form onSubmit={(e) => { e.preventDefault(); m.mutate(undefined, { onSuccess: onClose }); }}>
        <Stack>
          <TextInput label={t('momentDialog.title')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required data-autofocus />
          <Textarea label={t('momentDialog.story')} value={story} onChange={(e) => setStory(e.currentTarget.value)} required autosize minRows={4} />
          <Radio.Group label={t('momentDialog.consent')} value={consent} onChange={(v) => setConsent(v as 'yes' | 'no')}>
            <Group mt={4}>
              <Radio value="yes" label={t('momentDialog.consentYes')} />
              <Radio value="no" label={t('momentDialog.consentNo')} />
            </Group>
          </Radio.Group>
          {given ? (
            <Select label={t('momentDialog.how')} allowDeselect={false} value={how} onChange={(v) => setHow(v ?? 'conversation')}
              data={['conversation', 'writing', 'other'].map((x) => ({ value: x, label: t(`consentHow.${x}`) }))} />
          ) : (
            <Checkbox label={t('momentDialog.shareAnonymised')} description={t('momentDialog.anonymisedHelp')} checked={anonymised} onChange={(e) => setAnonymised(e.currentTarget.checked)} />
          )}
          <TextInput label={t('momentDialog.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
          <Text size="xs" c="dimmed">{given ? t('momentDialog.sharedTeam') : anonymised ? t('momentDialog.sharedAnon') : t('momentDialog.private')}</Text>
          <FormError error={m.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('cancel')}</Button>
            <Button type="submit" loading={m.isPending}>{t('momentDialog.submit')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
