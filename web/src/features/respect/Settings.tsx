/** Respect settings (supervisors, admins): the cool-off queue and the warning template per language. */
import { useEffect, useState } from 'react';
import { Alert, Button, Group, Select, Stack, Textarea } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, get, put } from '../../lib/api';
import { useQueues } from '../../api/queues';
import type { ApiOk } from '../../api/types';

type Lang = 'en' | 'de' | 'nb';
const LANGS: Lang[] = ['en', 'de', 'nb'];
type Settings = ApiOk<'/api/v1/respect/settings', 'get'>;

export function RespectSettings() {
  const { t } = useTranslation('respect');
  const qc = useQueryClient();
  const s = useQuery({ queryKey: ['respect', 'settings'], queryFn: () => get<Settings>('/respect/settings') });
  const queues = useQueues().data?.items ?? [];
  const [queueId, setQueueId] = useState<string | null>(null);
  const [templates, setTemplates] = useState<Partial<Record<Lang, string>>>({});
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    if (!s.data) return;
    setQueueId(s.data.coolOffQueueId);
    setTemplates(Object.fromEntries(LANGS.map((l) => [l, s.data!.warningTemplates[l] ?? s.data!.defaultWarningTemplates[l]])));
  }, [s.data]);
  if (!s.data) return null;
  async function save(e: React.FormEvent) {
    e.preventDefault();
    setMsg(null);
    try {
      // A template equal to the built-in default is not stored, so later improvements of the default still reach it.
      const own = Object.fromEntries(LANGS.filter((l) => (templates[l] ?? '').trim() && templates[l] !== s.data!.defaultWarningTemplates[l]).map((l) => [l, templates[l]]));
      await put('/respect/settings', { coolOffQueueId: queueId, warningTemplates: own });
      await qc.invalidateQueries({ queryKey: ['respect', 'settings'] });
      setMsg({ ok: true, text: t('settings.saved') });
    } catch (err) {
      setMsg({ ok: false, text: err instanceof ApiError ? err.message : String(err) });
    }
  }
  return (
    <form onSubmit={save}>
      <Stack gap="sm">
        <Select label={t('settings.queue')} description={t('settings.queueHint')} clearable data={queues.map((q) => ({ value: q.id, label: q.name }))} value={queueId} onChange={setQueueId} />
        {LANGS.map((l) => (
          <Textarea key={l} label={t(`settings.template_${l}`)} value={templates[l] ?? ''} autosize minRows={2} lang={l}
            onChange={(e) => { const v = e.currentTarget.value; setTemplates((x) => ({ ...x, [l]: v })); }} />
        ))}
        {msg && <Alert color={msg.ok ? 'teal' : 'red'} role={msg.ok ? 'status' : 'alert'}>{msg.text}</Alert>}
        <Group justify="flex-end"><Button type="submit">{t('settings.save')}</Button></Group>
      </Stack>
    </form>
  );
}
