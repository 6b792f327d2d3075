/** The survey settings (admin): on/off, delay after solved, reminder, link expiry, the question per language. */
import { useEffect, useState } from 'react';
import { Button, Group, NumberInput, Paper, SimpleGrid, Switch, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { type ApiError, get, put } from '../../lib/api';
import type { ApiOk } from '../../api/types';

type Lang = 'en' | 'de' | 'nb';
type Settings = ApiOk<'/api/v1/csat/settings', 'get'>;
const LANGS: Lang[] = ['en', 'de', 'nb'];

export function SettingsPanel() {
  const { t } = useTranslation('csat');
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['csat', 'settings'], queryFn: () => get<Settings>('/csat/settings') });
  const [draft, setDraft] = useState<Settings | null>(null);
  useEffect(() => {
    if (q.data) setDraft(q.data);
  }, [q.data]);
  const save = useMutation({
    mutationFn: (s: Settings) => put<Settings>('/csat/settings', s),
    onSuccess: (s) => qc.setQueryData(['csat', 'settings'], s),
  });
  if (!draft) return null;
  const set = <K extends keyof Settings>(k: K, v: Settings[K]) => setDraft({ ...draft, [k]: v });
  const num = (v: string | number, fallback: number) => (typeof v === 'number' ? v : Number(v) || fallback);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="csat-settings-title" data-testid="csat-settings">
      <Title order={2} size="h4" id="csat-settings-title" mb="xs">{t('settings.title')}</Title>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(draft);
        }}
      >
        <Switch label={t('settings.enabled')} checked={draft.enabled} onChange={(e) => set('enabled', e.currentTarget.checked)} mb="sm" />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <NumberInput label={t('settings.delay')} description={t('settings.delayHint')} min={0} max={10080} value={draft.delayMinutes}
            onChange={(v) => set('delayMinutes', num(v, 0))} />
          <NumberInput label={t('settings.reminder')} description={t('settings.reminderHint')} min={0} max={29} value={draft.reminderDays}
            onChange={(v) => set('reminderDays', num(v, 0))} />
          <NumberInput label={t('settings.expiry')} description={t('settings.expiryHint')} min={1} max={365} value={draft.expiryDays}
            onChange={(v) => set('expiryDays', num(v, 30))} />
        </SimpleGrid>
        {LANGS.map((l) => (
          <TextInput key={l} mt="sm" label={t(`settings.question_${l}`)} maxLength={300} value={draft.questions[l]}
            onChange={(e) => set('questions', { ...draft.questions, [l]: e.currentTarget.value })} />
        ))}
        {save.isError && (
          <Text c="red.9" fw={500} mt="sm" role="alert">{(save.error as ApiError).detail ?? (save.error as Error).message}</Text>
        )}
        {save.isSuccess && !save.isPending && <Text c="teal.9" fw={500} mt="sm" role="status">{t('settings.saved')}</Text>}
        <Group mt="sm">
          <Button type="submit" loading={save.isPending}>{t('settings.save')}</Button>
        </Group>
      </form>
    </Paper>
  );
}
