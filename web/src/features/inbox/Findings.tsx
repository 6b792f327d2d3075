/**
 * What an inbound customer message says (the listening analysis): wait claim, urgency, abuse toward staff / criticism,
 * threat, negative sentiment — each badge with its evidence (the words that triggered it) in a tooltip and in
 * visually hidden text — and the anecdote check of a wait claim against what was measured. Nothing while the analysis
 * job has not run (404 or `analysed: false`).
 */
import type { ReactNode } from 'react';
import { Badge, Group, Tooltip, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, get } from '../../lib/api';
import type { ApiOk } from '../../api/types';
import { fmtDuration } from '../../lib/format';
import type { Message } from './api';

export type MessageFindings = ApiOk<'/api/v1/messages/{id}/findings', 'get'>;
type Span = NonNullable<NonNullable<MessageFindings['findings']>['evidence']['wait']>;

/** Keep polling a little while a fresh message has not been analysed yet (the job runs moments after it arrives). */
const POLL_MS = 10_000;
const POLL_WINDOW_MS = 5 * 60_000;

export function useFindings(conversationId: string, m: Message) {
  const wanted = m.kind === 'message' && m.direction === 'inbound' && m.authorType === 'customer' && !m.automatic;
  return useQuery({
    // Under ['conversation', id] so the realtime invalidation of the conversation refetches it.
    queryKey: ['conversation', conversationId, 'findings', m.id],
    enabled: wanted,
    retry: false,
    queryFn: () =>
      get<MessageFindings>(`/messages/${m.id}/findings`).catch((e) => (e instanceof ApiError && e.status === 404 ? null : Promise.reject(e))),
    refetchInterval: (q) => {
      const d = q.state.data;
      return d && !d.analysed && Date.now() - Date.parse(m.createdAt) < POLL_WINDOW_MS ? POLL_MS : false;
    },
  });
}

function Finding({ kind, color, label, evidence, children }: { kind: string; color: string; label: string; evidence?: Span | null; children?: ReactNode }) {
  const { t } = useTranslation('inbox');
  const ev = evidence?.text?.replace(/\s+/g, ' ').trim();
  const badge = (
    <Badge component="li" size="sm" variant="outline" color={color} tt="none" data-finding={kind} style={{ maxWidth: '100%' }}>
      {label}
      {ev && <VisuallyHidden>{` — ${t('findings.evidence', { text: ev })}`}</VisuallyHidden>}
      {children}
    </Badge>
  );
  return ev ? <Tooltip label={t('findings.evidence', { text: ev })} multiline maw={360} withArrow>{badge}</Tooltip> : badge;
}

export function FindingBadges({ conversationId, m }: { conversationId: string; m: Message }) {
  const { t } = useTranslation('inbox');
  const q = useFindings(conversationId, m);
  const f = q.data?.findings;
  if (!q.data?.analysed || !f) return null;
  const ev = f.evidence ?? {};
  const a = q.data.anecdote;
  const items: ReactNode[] = [];
  if (f.wait.complaint) {
    items.push(
      <Finding key="wait" kind="wait" color="#7a4a00" evidence={ev.wait}
        label={f.wait.kind === 'delivery'
          ? (f.wait.minutes !== null ? t('findings.waitedForDelivery', { d: fmtDuration(f.wait.minutes * 60) }) : t('findings.deliveryComplaint'))
          : f.wait.minutes !== null ? t('findings.waitedFor', { d: fmtDuration(f.wait.minutes * 60) }) : t('findings.waitComplaint')} />,
    );
  }
  if (a && a.verdict !== 'no_figure') {
    const measured = [a.measuredContactSeconds, a.measuredJourneySeconds].filter((s): s is number => s !== null);
    const verdict = t(`findings.verdict.${a.verdict}`);
    items.push(
      <Finding key="anecdote" kind="anecdote" color={a.verdict === 'contradicted' ? 'red.9' : a.verdict === 'agrees' ? '#05664a' : 'gray.7'}
        label={measured.length ? t('findings.measured', { d: fmtDuration(Math.max(...measured)), verdict }) : verdict} />,
    );
  }
  if (f.urgency) {
    items.push(<Finding key="urgency" kind="urgency" color="red.9" evidence={ev.urgency} label={t(`findings.urgency.${f.urgency}`)} />);
  }
  if (f.abuse === 'abuse') items.push(<Finding key="abuse" kind="abuse" color="grape.9" evidence={ev.abuse} label={t('findings.abuse')} />);
  else if (f.abuse === 'criticism') items.push(<Finding key="criticism" kind="criticism" color="blue.9" evidence={ev.abuse} label={t('findings.criticism')} />);
  if (f.threat) items.push(<Finding key="threat" kind="threat" color="red.9" evidence={ev.threat} label={t('findings.threat')} />);
  if (f.sentiment === 'neg') items.push(<Finding key="sentiment" kind="sentiment" color="gray.7" label={t('findings.negative')} />);
  if (!items.length) return null;
  return (
    <Group component="ul" aria-label={t('findings.label')} data-testid="findings" gap={6} mt={6} p={0} style={{ listStyle: 'none', margin: 0, marginTop: 6 }}>
      {items}
    </Group>
  );
}
