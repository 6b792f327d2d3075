/** The dashboard's filters, kept in the URL (?period=7d&queue=…&channel=…&threshold=20, or period=custom&from=&to=). */
import { Group, NumberInput, SegmentedControl, Select, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { CHANNELS, type Filters } from './api';
import { useQueues } from '../../api/queues';
import { ScrollX } from '../../lib/ScrollX';

export const PERIODS = ['today', '7d', '30d', 'all', 'custom'] as const;
export type Period = (typeof PERIODS)[number];

/** YYYY-MM-DD of a date in a time zone. */
export const dayIn = (d: Date, timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
const addDays = (day: string, n: number) => {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};
const isDay = (s: string | null): s is string => !!s && /^\d{4}-\d{2}-\d{2}$/.test(s);

export interface FilterState {
  period: Period;
  from: string;
  to: string;
  queue: string | null;
  channel: string | null;
  threshold: number;
}

export function useFilterState(timeZone: string): [FilterState, Filters, (patch: Partial<Record<keyof FilterState, string | number | null>>) => void] {
  const [params, setParams] = useSearchParams();
  const today = dayIn(new Date(), timeZone);
  const p = params.get('period') as Period | null;
  const period: Period = p && (PERIODS as readonly string[]).includes(p) ? p : params.get('from') ? 'custom' : '30d';
  const threshold = Number(params.get('threshold') ?? 20);
  const state: FilterState = {
    period,
    from: isDay(params.get('from')) ? params.get('from')! : addDays(today, -29),
    to: isDay(params.get('to')) ? params.get('to')! : today,
    queue: params.get('queue'),
    channel: params.get('channel'),
    threshold: Number.isFinite(threshold) && threshold >= 0 ? threshold : 20,
  };
  // The API's `to` is exclusive; the picker's is the last day shown.
  const range: Record<Period, [string | undefined, string | undefined]> = {
    today: [today, addDays(today, 1)],
    '7d': [addDays(today, -6), addDays(today, 1)],
    '30d': [addDays(today, -29), addDays(today, 1)],
    all: [undefined, undefined],
    custom: [state.from, state.from <= state.to ? addDays(state.to, 1) : undefined],
  };
  const [from, to] = range[period];
  const filters: Filters = { from, to, queue: state.queue ?? undefined, channel: state.channel ?? undefined, threshold: state.threshold };
  const update = (patch: Partial<Record<keyof FilterState, string | number | null>>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || v === undefined || v === '') next.delete(k);
      else next.set(k, String(v));
    }
    setParams(next, { replace: true });
  };
  return [state, filters, update];
}

export function FilterBar({ state, update }: { state: FilterState; update: ReturnType<typeof useFilterState>[2] }) {
  const { t } = useTranslation('dashboard');
  const queues = useQueues();
  return (
    <Group align="flex-end" gap="md" wrap="wrap" role="search" aria-label={t('filters.label')}>
      {/* On a phone the five periods are wider than the screen: they scroll sideways instead of running off it. */}
      <ScrollX label={t('filters.period')}>
        <SegmentedControl
          aria-label={t('filters.period')}
          value={state.period}
          onChange={(v) => update(v === 'custom' ? { period: v, from: state.from, to: state.to } : { period: v })}
          data={PERIODS.map((p) => ({ value: p, label: t(`period.${p}`) }))}
        />
      </ScrollX>
      {state.period === 'custom' && (
        <>
          <TextInput type="date" label={t('filters.from')} value={state.from} max={state.to} onChange={(e) => isDay(e.currentTarget.value) && update({ from: e.currentTarget.value })} />
          <TextInput type="date" label={t('filters.to')} value={state.to} min={state.from} onChange={(e) => isDay(e.currentTarget.value) && update({ to: e.currentTarget.value })} />
        </>
      )}
      <Select
        label={t('filters.queue')}
        placeholder={t('filters.allQueues')}
        clearable
        w={180}
        value={state.queue}
        onChange={(v) => update({ queue: v })}
        data={(queues.data?.items ?? []).map((q) => ({ value: q.name, label: q.name }))}
      />
      <Select
        label={t('filters.channel')}
        placeholder={t('filters.allChannels')}
        clearable
        w={150}
        value={state.channel}
        onChange={(v) => update({ channel: v })}
        data={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))}
      />
      <NumberInput
        label={t('filters.threshold')}
        w={170}
        min={0}
        max={3600}
        step={5}
        value={state.threshold}
        onChange={(v) => typeof v === 'number' && update({ threshold: v })}
      />
    </Group>
  );
}
