/**
 * The live queue wall: per queue, who is waiting now and for how long, agents by presence, open callbacks. Big type
 * for a screen on the wall; polls every 10 s and refetches at once when a conversation changes (realtime).
 */
import { useEffect, useState } from 'react';
import { Alert, Badge, Center, Group, Loader, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { onChange } from '../../lib/realtime';
import { can, useMe } from '../../lib/session';
import { NotAllowed } from './NotAllowed';
import { fmtNumber } from '../../lib/format';
import { fmtCompact } from './human';
import { PRESENCES, useLive, type Agent, type LiveQueue, type Presence } from './api';

// Shades with readable text on them (autoContrast picks black or white).
const presenceColor: Record<Presence, string> = { available: 'teal.9', busy: 'orange.4', away: 'yellow.4', offline: 'gray.7' };

/** Seconds since `iso`, ticking every second between polls, so the longest wait grows on the screen. */
function useTick() {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  return now;
}

function waitedSince(iso: string | null, now: number, serverSkew: number) {
  return iso ? Math.max(0, Math.round((now + serverSkew - Date.parse(iso)) / 1000)) : null;
}

/** A big figure on one line: the font shrinks with the text's length to fit its column (container query units), it
 * never wraps ("18 h 11 min" stays one line in a two-column card). */
function Big({ label, value, testId, color }: { label: string; value: string; testId: string; color?: string }) {
  return (
    <div style={{ containerType: 'inline-size', minWidth: 0 }}>
      <Text size="lg" c="dimmed">{label}</Text>
      <Text fw={800} lh={1.1} c={color} data-testid={testId}
        style={{ whiteSpace: 'nowrap', fontSize: `min(56px, ${Math.floor(150 / Math.max(1, value.length))}cqi)` }}>
        {value}
      </Text>
    </div>
  );
}

function AgentList({ agents, presence }: { agents: Agent[]; presence: Presence }) {
  const { t } = useTranslation();
  return (
    <div>
      <Group gap={6} mb={4}>
        <Badge size="lg" color={presenceColor[presence]} variant="filled" autoContrast>{t(`presence.${presence}`)}</Badge>
        <Text fw={700} fz="xl">{fmtNumber(agents.length)}</Text>
      </Group>
      <Text size="md">{agents.map((a) => a.name).join(', ') || '–'}</Text>
    </div>
  );
}

function QueueCard({ q, now, skew }: { q: LiveQueue; now: number; skew: number }) {
  const { t } = useTranslation('dashboard');
  const longest = waitedSince(q.oldestWaitingSince, now, skew);
  const name = q.name ?? t('wall.noQueue');
  const alarm = longest !== null && longest > 300;
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby={`wall-q-${q.id ?? 'none'}`} data-testid="wall-queue">
      <Title order={2} fz={32} id={`wall-q-${q.id ?? 'none'}`} mb="sm">{name}</Title>
      <SimpleGrid cols={2} spacing="md">
        <Big label={t('wall.waitingNow')} value={fmtNumber(q.waiting.total)} testId="wall-waiting" color={q.waiting.total ? undefined : 'dimmed'} />
        <Big label={t('wall.longestWait')} value={fmtCompact(t, longest)} testId="wall-longest" color={alarm ? 'red.9' : undefined} />
      </SimpleGrid>
      {q.waiting.total > 0 && (
        <Group gap="xs" mt="xs" aria-label={t('wall.byChannel')} role="list">
          {Object.entries(q.waiting.byChannel).map(([c, n]) => (
            <Badge role="listitem" key={c} size="lg" variant="default">{t(`channel.${c}`, { defaultValue: c })}: {fmtNumber(n)}</Badge>
          ))}
        </Group>
      )}
      <Text size="lg" mt="sm">
        {t('wall.callbacks', { count: q.callbacks.open, n: fmtNumber(q.callbacks.open) })}
        {q.callbacks.overdue > 0 && <Text span c="red.7" fw={700}> · {t('wall.overdue', { n: fmtNumber(q.callbacks.overdue) })}</Text>}
      </Text>
      {q.id !== null && (
        <Group gap="lg" mt="sm">
          {PRESENCES.filter((p) => p !== 'offline').map((p) => (
            <Text key={p} size="lg"><Badge color={presenceColor[p]} variant="dot" size="lg">{t(`presence.${p}`, { ns: 'common' })}</Badge> {fmtNumber(q.agents[p].length)}</Text>
          ))}
        </Group>
      )}
    </Paper>
  );
}

export default function WallPage() {
  const { data: me } = useMe();
  return can(me?.role, 'reports') ? <Wall /> : <NotAllowed />;
}

function Wall() {
  const { t } = useTranslation('dashboard');
  const qc = useQueryClient();
  const live = useLive();
  const now = useTick();
  useEffect(
    () => onChange((m) => {
      if (m.type === 'conversation.created' || m.type === 'conversation.updated' || m.type === 'message.created') void qc.invalidateQueries({ queryKey: ['reports', 'live'] });
    }),
    [qc],
  );
  const w = live.data;
  // The server's clock decides what "now" is; keep the offset, so the ticking wait agrees with it.
  const [skew, setSkew] = useState(0);
  useEffect(() => {
    if (w) setSkew(Date.parse(w.now) - Date.now());
  }, [w]);
  if (live.error) return <Alert color="red" title={t('error')}>{live.error instanceof Error ? live.error.message : String(live.error)}</Alert>;
  if (!w) return <Center h="60vh"><Loader role="status" aria-label={t('loading')} /></Center>;
  const longest = w.queues.reduce<number | null>((m, q) => {
    const s = waitedSince(q.oldestWaitingSince, now, skew);
    return s !== null && (m === null || s > m) ? s : m;
  }, null);
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <Title order={1} fz={40}>{t('wall.title')}</Title>
        <Text size="sm" c="dimmed" aria-live="polite">{t('wall.updated', { time: new Date(Date.parse(w.now)).toLocaleTimeString(document.documentElement.lang) })}</Text>
      </Group>
      <Paper withBorder p="lg" component="section" aria-label={t('wall.totals')}>
        <SimpleGrid cols={{ base: 2, md: 4 }}>
          <Big label={t('wall.waitingNow')} value={fmtNumber(w.totals.waiting)} testId="wall-total-waiting" />
          <Big label={t('wall.longestWait')} value={fmtCompact(t, longest)} testId="wall-total-longest" color={longest !== null && longest > 300 ? 'red.9' : undefined} />
          <Big label={t('wall.available')} value={fmtNumber(w.agents.available.length)} testId="wall-total-available" color="teal.8" />
          <Big label={t('wall.callbacksOpen')} value={fmtNumber(w.totals.callbacksOpen)} testId="wall-total-callbacks" />
        </SimpleGrid>
      </Paper>
      <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }} spacing="lg">
        {w.queues.map((q) => <QueueCard key={q.id ?? 'none'} q={q} now={now} skew={skew} />)}
      </SimpleGrid>
      <Paper withBorder p="lg" component="section" aria-labelledby="wall-agents">
        <Title order={2} fz={32} id="wall-agents" mb="sm">{t('wall.agents')}</Title>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
          {PRESENCES.map((p) => <AgentList key={p} presence={p} agents={w.agents[p]} />)}
        </SimpleGrid>
      </Paper>
    </Stack>
  );
}
