/** The distribution of lived waits (with the reported ASA on it), the survival curve, and the hour-by-day heat map. */
import { useCallback, useMemo, useState } from 'react';
import { SegmentedControl, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { fmtNumber, fmtPercent } from '../../lib/format';
import type { Distribution, WaitsReport } from './api';
import type { TFunction } from 'i18next';
import { Chart, ChartPanel, type ChartOption } from './Chart';
import { useMe } from '../../lib/session';
import { HUMAN_EDGES, bucketPosition, fmtCompact, fmtHuman, fmtTick, humanBucketLabel, humanDistribution, shareFrom, tailThreshold } from './human';

const ASA_COLOR = '#e8590c';
const LIVED_COLOR = '#212529';

/** A vertical marker from the axis up to `top` (a share), labelled at its top, at a wait's place on the bucket axis. */
const marker = (seconds: number, top: number, color: string, label: string) => [
  { coord: [bucketPosition(seconds), 0], lineStyle: { color, width: 2, type: 'solid' as const }, label: { formatter: label, color, fontWeight: 'bold' as const, position: 'end' as const } },
  { coord: [bucketPosition(seconds), top] },
];

type Shares = { counts: number[]; total: number };
const shareOf = (x: Shares) => x.counts.map((c, i) => [i + 0.5, x.total ? c / x.total : 0]);

/** The distribution plot's chart: three bar series on the bucket axis, the ASA, median and p90 marked on the first. */
function distributionOption(o: {
  t: TFunction<'dashboard'>;
  h: ReturnType<typeof humanDistribution>;
  labels: string[];
  asa: number | null;
  p50: number | null;
  p90: number | null;
  narrow: boolean | undefined;
}): ChartOption {
  const { t, h, labels, asa, p50, p90, narrow } = o;
  const series = [
    { key: 'customers', name: t('plot.customersWaits'), h: h.journeyWaits, color: '#7048e8' },
    { key: 'multi', name: t('plot.multiCustomersWaits'), h: h.multiAttemptJourneyWaits, color: '#c2255c' },
    { key: 'contacts', name: t('plot.contactWaits'), h: h.contactWaits, color: '#74c0fc' },
  ];
  // Room above the highest bar for the markers' labels, on a round axis (shares above 100 % are not labelled).
  const highest = Math.max(0.05, ...series.flatMap((s) => shareOf(s.h).map((p) => p[1])));
  const step = highest > 0.5 ? 0.2 : highest > 0.2 ? 0.1 : 0.05;
  const top = Math.ceil((highest * 1.4) / step) * step;
  return {
    animation: false,
    grid: { left: 48, right: 16, top: narrow ? 72 : 48, bottom: 64 },
    legend: { top: 0, itemGap: 8, textStyle: { fontSize: 11 } },
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => fmtPercent(v), axisPointer: { type: 'shadow' } },
    xAxis: {
      type: 'value', min: 0, max: HUMAN_EDGES.length, name: t('plot.wait'), nameLocation: 'middle', nameGap: 44,
      splitLine: { show: false },
      axisTick: { customValues: HUMAN_EDGES.map((_, i) => i) },
      axisLabel: {
        customValues: HUMAN_EDGES.map((_, i) => i + 0.5), rotate: 0, fontSize: 11, lineHeight: 14, interval: 0,
        // Two lines (the range, then its unit), so eight labels fit side by side even on a phone.
        formatter: (v: number) => labels[Math.floor(v)].replace(/ (?=\S+$)/, '\n'),
      },
    },
    yAxis: { type: 'value', min: 0, max: top, interval: step, axisLabel: { formatter: (v: number) => (v > 1.0001 ? '' : fmtPercent(v, 0)) } },
    series: series.map((s, si) => ({
      name: s.name, type: 'bar', data: shareOf(s.h), itemStyle: { color: s.color }, barWidth: narrow ? '22%' : '24%', barGap: '10%',
      markLine: si === 0 ? {
        symbol: 'none', silent: true,
        data: [
          ...(asa !== null ? [marker(asa, top * 0.97, ASA_COLOR, t('plot.asaLine', { value: fmtCompact(t, asa) }))] : []),
          ...(p50 !== null ? [marker(p50, top * 0.84, LIVED_COLOR, t('plot.medianLine', { value: fmtCompact(t, p50) }))] : []),
          ...(p90 !== null ? [marker(p90, top * 0.71, LIVED_COLOR, t('plot.p90Line', { value: fmtCompact(t, p90) }))] : []),
        ],
      } : undefined,
    })),
  };
}

/**
 * Lived waits in eight human buckets (< 20 s … > 1 h, horizontal labels): all served customers (first attempt until a
 * human), those who had to try more than once, and every contact; the reported ASA and the served customers' median
 * and p90 marked; the tail's share said in a sentence under the title.
 */
export function DistributionPlot({ d, r }: { d: Distribution; r?: WaitsReport }) {
  const { t } = useTranslation('dashboard');
  const narrow = useMediaQuery('(max-width: 40em)');
  const asa = d.reported.asaSeconds;
  const h = useMemo(() => humanDistribution(d), [d]);
  const labels = useMemo(() => HUMAN_EDGES.map((_, i) => humanBucketLabel(t, i)), [t]);
  const p50 = r?.journeys.waitSeconds.p50 ?? null;
  const p90 = r?.journeys.waitSeconds.p90 ?? null;
  const threshold = tailThreshold(asa);
  const tail = shareFrom(h.journeyWaits, threshold);
  const option = useMemo(() => distributionOption({ t, h, labels, asa, p50, p90, narrow }), [t, h, labels, asa, p50, p90, narrow]);
  return (
    <ChartPanel
      testId="plot-distribution"
      title={t('plot.distributionTitle')}
      description={
        <>
          {tail !== null && asa !== null && (
            <Text component="span" display="block" fw={600} c="var(--mantine-color-text)" data-testid="distribution-tail">
              {t('plot.tail', { share: fmtPercent(tail, 0), threshold: fmtCompact(t, threshold), multiShare: fmtPercent(shareFrom(h.multiAttemptJourneyWaits, threshold), 0), asa: fmtCompact(t, asa) })}
            </Text>
          )}
          {t('plot.distributionHint')}
        </>
      }
      chart={<Chart option={option} label={t('plot.distributionLabel', { asa: fmtCompact(t, asa), contacts: fmtNumber(d.contactWaits.total), journeys: fmtNumber(d.journeyWaits.total) })} height={narrow ? 360 : 340} />}
      table={
        <Table aria-label={t('plot.distributionTitle')} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('plot.wait')}</Table.Th>
              <Table.Th scope="col" ta="right">{t('plot.customersWaits')}</Table.Th>
              <Table.Th scope="col" ta="right">{t('plot.multiCustomersWaits')}</Table.Th>
              <Table.Th scope="col" ta="right">{t('plot.contactWaits')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {labels.map((l, i) => (
              <Table.Tr key={l}>
                <Table.Th scope="row" fw={400}>{l}{asa !== null && i === Math.floor(bucketPosition(asa)) ? ` — ${t('plot.asaLine', { value: fmtCompact(t, asa) })}` : ''}</Table.Th>
                <Table.Td ta="right">{fmtNumber(h.journeyWaits.counts[i])}</Table.Td>
                <Table.Td ta="right">{fmtNumber(h.multiAttemptJourneyWaits.counts[i])}</Table.Td>
                <Table.Td ta="right">{fmtNumber(h.contactWaits.counts[i])}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      }
    />
  );
}

/** Round ticks of the survival plot's log axis (fewer on a phone). */
const SURVIVAL_TICKS = [30, 60, 300, 1800, 7200, 28800];
const SURVIVAL_TICKS_NARROW = [60, 600, 3600, 28800];

export function SurvivalPlot({ r }: { r: WaitsReport }) {
  const { t } = useTranslation('dashboard');
  const narrow = useMediaQuery('(max-width: 40em)');
  const s = r.journeys.survival;
  const asa = r.reported.asaSeconds;
  const option = useMemo<ChartOption>(() => ({
    animation: false,
    grid: { left: 56, right: 24, top: 24, bottom: 48 },
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => fmtPercent(v), axisPointer: { label: { formatter: (p: { value: number }) => fmtCompact(t, p.value) } } },
    xAxis: {
      type: 'log', logBase: 10, min: 10, max: 28800, name: t('plot.afterT'), nameLocation: 'middle', nameGap: 30,
      axisTick: { customValues: narrow ? SURVIVAL_TICKS_NARROW : SURVIVAL_TICKS },
      axisLabel: { customValues: narrow ? SURVIVAL_TICKS_NARROW : SURVIVAL_TICKS, formatter: (v: number) => fmtTick(t, v) },
      splitLine: { show: true, lineStyle: { type: 'dashed', opacity: 0.5 } },
    },
    yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: (v: number) => fmtPercent(v, 0) } },
    series: [{
      name: t('plot.stillWaiting'), type: 'line', step: 'end', symbolSize: 6, color: '#2f9e44',
      data: [[10, s.points.length ? 1 : null], ...s.points.map((p) => [p.seconds, p.stillWaiting])],
      markLine: asa ? {
        symbol: 'none', silent: true, lineStyle: { color: ASA_COLOR, width: 2, type: 'solid' },
        label: { formatter: t('plot.asaLine', { value: fmtCompact(t, asa) }), color: ASA_COLOR, fontWeight: 'bold' },
        data: [{ xAxis: Math.max(asa, 10) }],
      } : undefined,
    }],
  }), [s, asa, narrow, t]);
  return (
    <ChartPanel
      testId="plot-survival"
      title={t('plot.survivalTitle')}
      description={t('plot.survivalHint', { median: fmtCompact(t, s.medianSeconds) })}
      chart={<Chart option={option} label={t('plot.survivalLabel', { median: fmtCompact(t, s.medianSeconds) })} />}
      table={
        <Table aria-label={t('plot.survivalTitle')} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('plot.afterT')}</Table.Th>
              <Table.Th scope="col" ta="right">{t('plot.stillWaiting')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {s.points.map((p) => (
              <Table.Tr key={p.seconds}>
                <Table.Th scope="row" fw={400}>{fmtHuman(t, p.seconds)}</Table.Th>
                <Table.Td ta="right">{fmtPercent(p.stillWaiting)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      }
    />
  );
}

type HeatMetric = 'p90' | 'contacts' | 'abandon';

export function weekdayNames(lang: string) {
  const locale = lang === 'nb' ? 'nb-NO' : lang === 'de' ? 'de-DE' : 'en-GB';
  const f = new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' });
  return [0, 1, 2, 3, 4, 5, 6].map((i) => f.format(new Date(Date.UTC(2024, 0, 1 + i)))); // 2024-01-01 was a Monday
}

const HOURS = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));

/** The metric per weekday (Monday first) and hour, null where there were no contacts; the cells for the chart; the largest. */
function heatValues(r: WaitsReport, metric: HeatMetric) {
  const cells = new Map((r.groups ?? []).map((g) => [g.key, g]));
  const grid = [0, 1, 2, 3, 4, 5, 6].map((day) =>
    HOURS.map((hour): number | null => {
      const g = cells.get(`${day + 1}-${hour}`);
      if (!g) return null;
      return metric === 'p90' ? g.lived.contactWaitSeconds.p90 : metric === 'contacts' ? g.contacts : g.reported.abandonRate;
    }),
  );
  const data: [number, number, number][] = [];
  let max = 0;
  for (const [d, row] of grid.entries()) {
    for (const [hi, v] of row.entries()) {
      if (v === null) continue;
      data.push([hi, d, v]);
      max = Math.max(max, v);
    }
  }
  return { grid, data, max };
}

export function HeatMap({ r }: { r: WaitsReport }) {
  const { t, i18n } = useTranslation('dashboard');
  const { data: me } = useMe(); // hours of day are the account's business hours: labelled with its zone
  const [metric, setMetric] = useState<HeatMetric>('p90');
  const days = useMemo(() => weekdayNames(i18n.language), [i18n.language]);
  const fmt = useCallback(
    (v: number | null) => (v === null ? '–' : metric === 'p90' ? fmtHuman(t, v) : metric === 'contacts' ? fmtNumber(v) : fmtPercent(v)),
    [metric, t],
  );
  const { grid, data, max } = useMemo(() => heatValues(r, metric), [r, metric]);
  const option = useMemo<ChartOption>(() => ({
    animation: false,
    grid: { left: 56, right: 16, top: 8, bottom: 72 },
    tooltip: { formatter: (p: { value: [number, number, number] }) => `${days[p.value[1]]} ${HOURS[p.value[0]]}:00 — ${fmt(p.value[2])}` },
    xAxis: { type: 'category', data: HOURS, splitArea: { show: true } },
    yAxis: { type: 'category', data: days, inverse: true, splitArea: { show: true } },
    visualMap: {
      min: 0, max: max || 1, calculable: true, orient: 'horizontal', left: 'center', bottom: 0,
      inRange: { color: ['#e7f5ff', '#74c0fc', '#1c7ed6', '#e8590c', '#c92a2a'] },
      formatter: (v: number) => fmt(v),
    },
    series: [{ name: t(`heat.${metric}`), type: 'heatmap', data, emphasis: { itemStyle: { borderColor: '#000', borderWidth: 1 } } }],
  }), [days, fmt, data, max, metric, t]);
  return (
    <ChartPanel
      testId="plot-heatmap"
      title={t('heat.title')}
      description={t('heat.hint', { zone: me?.account.timezone ?? 'UTC' })}
      controls={
        <SegmentedControl
          size="xs"
          aria-label={t('heat.metric')}
          value={metric}
          onChange={(v) => setMetric(v as HeatMetric)}
          data={(['p90', 'contacts', 'abandon'] as const).map((m) => ({ value: m, label: t(`heat.${m}`) }))}
        />
      }
      chart={<Chart option={option} label={t('heat.label', { metric: t(`heat.${metric}`) })} height={320} />}
      table={
        <Table aria-label={t('heat.tableLabel', { metric: t(`heat.${metric}`) })} striped fz="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('heat.hour')}</Table.Th>
              {days.map((d) => <Table.Th scope="col" key={d} ta="right">{d}</Table.Th>)}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {HOURS.map((h, hi) => (
              <Table.Tr key={h}>
                <Table.Th scope="row" fw={400}>{h}:00</Table.Th>
                {days.map((d, di) => <Table.Td key={d} ta="right">{fmt(grid[di][hi])}</Table.Td>)}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      }
    />
  );
}
