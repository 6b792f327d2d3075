/**
 * "Report abuse": proposes a measure with its evidence (the customer's own messages, or quoted public text). A
 * warning is in force at once; anything beyond needs a second person. Criticism-only evidence is refused by the
 * server (422 criticism_protected) and the refusal is shown here plainly.
 */
import { useState } from 'react';
import { Alert, Button, Checkbox, Group, Modal, MultiSelect, NumberInput, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, post } from '../../lib/api';
import { useMe } from '../../lib/session';
import { useUsers } from '../inbox/api';
import { CHANNELS, KINDS, REASONS, type MeasureKind } from './api';

export interface Candidate {
  id: string;
  text: string;
}

const DEFAULT_DAYS: Record<MeasureKind, number> = { warning: 90, cool_off: 7, restriction: 30, ban: 30 };

export function ProposeDialog(props: { opened: boolean; onClose: () => void; customerId: string; conversationId?: string | null; candidates: Candidate[]; preselected?: string[] }) {
  const { t } = useTranslation('respect');
  const qc = useQueryClient();
  const me = useMe().data;
  const users = useUsers().data?.items ?? [];
  const [kind, setKind] = useState<MeasureKind>('warning');
  const [reason, setReason] = useState<string>('insult');
  const [reasonText, setReasonText] = useState('');
  const [picked, setPicked] = useState<string[]>(props.preselected ?? []);
  const [channels, setChannels] = useState<string[]>(['email']);
  const [abused, setAbused] = useState<string[]>(me?.user ? [me.user.id] : []);
  const [days, setDays] = useState<number | string>(DEFAULT_DAYS.warning);
  const [publicText, setPublicText] = useState('');
  const [publicRef, setPublicRef] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const m = await post<{ status: string }>('/respect/measures', {
        customerId: props.customerId,
        conversationId: props.conversationId ?? null,
        kind,
        ...(kind === 'restriction' ? { channels } : {}),
        reasonCategory: reason,
        reasonText,
        messageIds: picked,
        ...(publicText.trim() ? { publicEvidence: [{ source: 'public', ref: publicRef || undefined, text: publicText }] } : {}),
        abusedUserIds: abused,
        durationDays: Number(days) || DEFAULT_DAYS[kind],
      });
      setDone(m.status === 'active' ? t('propose.inForce') : t('propose.awaiting'));
      await qc.invalidateQueries({ queryKey: ['respect'] });
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'error', String(err)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened={props.opened} onClose={props.onClose} title={t('propose.title')} size="lg" closeButtonProps={{ 'aria-label': t('close') }}>
      {done ? (
        <Stack>
          <Alert color="teal" role="status">{done}</Alert>
          <Group justify="flex-end"><Button onClick={props.onClose}>{t('close')}</Button></Group>
        </Stack>
      ) : (
        <form onSubmit={submit}>
          <Stack gap="sm">
            <Select label={t('kind')} data={KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) }))} value={kind} allowDeselect={false}
              onChange={(v) => { setKind((v ?? 'warning') as MeasureKind); setDays(DEFAULT_DAYS[(v ?? 'warning') as MeasureKind]); }} />
            {kind !== 'warning' && <Text size="sm" c="dimmed">{t('propose.fourEyes')}</Text>}
            {kind === 'restriction' && (
              <Checkbox.Group label={t('propose.channelsAllowed')} value={channels} onChange={setChannels}>
                <Group mt={4}>{CHANNELS.map((c) => <Checkbox key={c} value={c} label={t(`channels.${c}`)} />)}</Group>
              </Checkbox.Group>
            )}
            <Select label={t('reason')} data={REASONS.map((r) => ({ value: r, label: t(`reasons.${r}`) }))} value={reason} allowDeselect={false} onChange={(v) => setReason(v ?? 'insult')} />
            <Textarea label={t('propose.reasonText')} description={t('propose.reasonTextHint')} value={reasonText} onChange={(e) => setReasonText(e.currentTarget.value)}
              required={kind !== 'warning'} autosize minRows={2} />
            <Checkbox.Group label={t('propose.evidence')} description={t('propose.evidenceHint')} value={picked} onChange={setPicked}>
              <Stack gap={4} mt={4}>
                {props.candidates.length === 0 && <Text size="sm">{t('propose.noMessages')}</Text>}
                {props.candidates.map((c) => <Checkbox key={c.id} value={c.id} label={c.text.length > 160 ? `${c.text.slice(0, 160)}…` : c.text} />)}
              </Stack>
            </Checkbox.Group>
            <Textarea label={t('propose.publicText')} description={t('propose.publicHint')} value={publicText} onChange={(e) => setPublicText(e.currentTarget.value)} autosize minRows={1} />
            {publicText.trim() && <TextInput label={t('propose.publicRef')} value={publicRef} onChange={(e) => setPublicRef(e.currentTarget.value)} />}
            <MultiSelect label={t('propose.abused')} data={users.map((u) => ({ value: u.id, label: u.name }))} value={abused} onChange={setAbused} searchable />
            <NumberInput label={t('propose.days')} min={1} max={365} value={days} onChange={setDays} />
            {error && (
              <Alert color="red" role="alert" title={error.code === 'criticism_protected' ? t('propose.criticismTitle') : t('error')}>
                {error.code === 'criticism_protected' ? t('propose.criticismBody') : error.message}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={props.onClose}>{t('cancel')}</Button>
              <Button type="submit" loading={busy}>{kind === 'warning' ? t('propose.submitWarning') : t('propose.submit')}</Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
