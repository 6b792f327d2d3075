/** Small shared pieces: channel, status and priority badges; the SLA clock that counts down (or up, once overdue). */
import { useEffect, useState } from 'react';
import { Badge, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { fmtDateTime, fmtDuration } from '../../lib/format';
import i18n from '../../lib/i18n';
import type { Priority, Sla, Status } from './api';

// Marks from fonts every system has (colour emoji are missing on many Linux desktops and headless browsers).
const CHANNEL_MARK: Record<string, string> = { email: '✉', chat: '✎', web: '◎', phone: '☎', api: '⚙' };
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

// Dark enough shades for white text at badge size (WCAG AA 4.5:1).
const PRIORITY_COLOR: Record<Priority, string> = { urgent: 'red.9', high: '#a84300', normal: 'gray.7', low: 'gray.7' };
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

/** Only the largest unit ("3 h", "25 min"), for the inbox rows. */
const roughly = (s: number) => (s >= 3600 ? Math.round(s / 3600) * 3600 : s >= 60 ? Math.round(s / 60) * 60 : s);

export function SlaClock({ metric, at, now, breached, done, short }: { metric: string; at: string | null; now: number; breached?: boolean; done?: boolean; short?: boolean }) {
  const { t } = useTranslation('inbox');
  if (!at) return null;
  const left = Math.round((new Date(at).getTime() - now) / 1000);
  const over = left < 0 || breached;
  const days = (v: number) =>
    new Intl.NumberFormat(i18n.language === 'nb' ? 'nb-NO' : i18n.language === 'de' ? 'de-DE' : 'en-GB', { style: 'unit', unit: 'day', unitDisplay: 'short' }).format(Math.round(v / 86_400));
  const d = (v: number) => (short && v >= 86_400 ? days(v) : fmtDuration(short ? roughly(v) : v));
  const label = done ? t('sla.met') : over ? t('sla.overdue', { d: d(Math.abs(left)) }) : t('sla.left', { d: d(left) });
  // Filled red when overdue, filled dark orange within the hour, outlined otherwise; all AA contrast at badge size.
  const color = done ? 'gray.7' : over ? 'red.9' : left < 3600 ? '#a84300' : 'teal.9';
  return (
    <Tooltip label={`${t(`sla.${metric}`)}: ${fmtDateTime(at)}`}>
      <Badge size="sm" color={color} variant={!done && (over || left < 3600) ? 'filled' : 'outline'} data-sla={done ? 'met' : over ? 'overdue' : left < 3600 ? 'soon' : 'ok'}>
        <Text span size="xs" fw={600}>{label}</Text>
      </Badge>
    </Tooltip>
  );
}
