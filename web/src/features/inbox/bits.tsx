/** Small shared pieces: channel, status and priority badges; the SLA clock that counts down (or up, once overdue). */
import { useEffect, useState } from 'react';
import { Badge, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { fmtDateTime, fmtDuration } from '../../lib/format';
import type { Priority, Sla, Status } from './api';

const CHANNEL_MARK: Record<string, string> = { email: '✉', chat: '💬', web: '🌐', phone: '☎', api: '⚙' };
export function ChannelBadge({ channel }: { channel: string }) {
  const { t } = useTranslation('inbox');
  return (
    <Badge variant="light" color="gray" size="sm" leftSection={<span aria-hidden="true">{CHANNEL_MARK[channel] ?? '•'}</span>}>
      {t(`channel.${channel}`)}
    </Badge>
  );
}

const STATUS_COLOR: Record<Status, string> = { new: 'blue', open: 'teal', pending: 'yellow', on_hold: 'grape', solved: 'gray', closed: 'dark' };
export function StatusBadge({ status }: { status: Status }) {
  const { t } = useTranslation('inbox');
  return (
    <Badge size="sm" color={STATUS_COLOR[status]} variant="filled" autoContrast>
      {t(`status.${status}`)}
    </Badge>
  );
}

const PRIORITY_COLOR: Record<Priority, string> = { urgent: 'red', high: 'orange', normal: 'gray', low: 'gray' };
export function PriorityBadge({ priority }: { priority: Priority }) {
  const { t } = useTranslation('inbox');
  return (
    <Badge size="sm" color={PRIORITY_COLOR[priority]} variant={priority === 'urgent' || priority === 'high' ? 'filled' : 'outline'} autoContrast>
      {t(`priority.${priority}`)}
    </Badge>
  );
}

/** Re-renders every 30 s so clocks and relative times stay current. */
export function useNow(everyMs = 30_000) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const i = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(i);
  }, [everyMs]);
  return now;
}

/** The reply clock that matters now: the first reply while none was given, else the next reply. */
export function replyDue(sla: Sla): { metric: 'first_reply' | 'next_reply'; at: string } | null {
  if (!sla.firstRepliedAt && sla.firstReplyDueAt) return { metric: 'first_reply', at: sla.firstReplyDueAt };
  if (sla.nextReplyDueAt) return { metric: 'next_reply', at: sla.nextReplyDueAt };
  return null;
}

export function SlaClock({ metric, at, now, breached, done }: { metric: string; at: string | null; now: number; breached?: boolean; done?: boolean }) {
  const { t } = useTranslation('inbox');
  if (!at) return null;
  const left = Math.round((new Date(at).getTime() - now) / 1000);
  const over = left < 0 || breached;
  const label = done ? t('sla.met') : over ? t('sla.overdue', { d: fmtDuration(Math.abs(left)) }) : t('sla.left', { d: fmtDuration(left) });
  const color = done ? 'gray' : over ? 'red' : left < 3600 ? 'orange' : 'teal';
  return (
    <Tooltip label={`${t(`sla.${metric}`)}: ${fmtDateTime(at)}`}>
      <Badge size="sm" color={color} variant={over && !done ? 'filled' : 'light'} autoContrast data-sla={over ? 'overdue' : 'ok'}>
        <Text span size="xs" fw={600}>{label}</Text>
      </Badge>
    </Tooltip>
  );
}
