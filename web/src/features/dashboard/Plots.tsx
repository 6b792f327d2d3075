/** The distribution of lived waits (with the reported ASA on it), the survival curve, and the hour-by-day heat map. */
import { useMemo, useState } from 'react';
import { SegmentedControl, Table } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { fmtDuration, fmtNumber, fmtPercent } from '../../lib/format';
import type { Distribution, WaitsReport } from './api';
import { Chart, ChartPanel, type ChartOption } from './Chart';
import { useMe } from '../../lib/session';

const ASA_COLOR = '#e8590c';

export function bucketLabel(edges: number[], i: number) {
  return i + 1 < edges.length ? `${fmtDuration(edges[i])}–${fmtDuration(edges[i + 1])}` : `≥ ${fmtDuration(edges[i])}`;
}

export function DistributionPlot({ d }: { d: Distribution }) {
  const { t, i18n } = useTranslation('dashboard');
  const asa = d.reported.asaSeconds;
  const labels = d.edges.map((_, i) => bucketLabel(d.edges, i));
  const share = (h: { counts: number[]; total: number }) => h.counts.map((c) => (h.total ? c / h.total : 0));
  const asaBucket = asa === null ? -1 : d.edges.findLastIndex((e) => e <= asa);
  const option = useMemo<ChartOption>(() => ({
    animation: false,
    grid: { left: 56, right: 16, top: 40, bottom: 80 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => fmtPercent(v) },
    xAxis: { type: 'category', data: labels, axisLabel: { rotate: 45, fontSize: 11 }, name: t('plot.wait'), nameLocation: 'middle', nameGap: 64 },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => fmtPercent(v, 0) } },
    series: [
      {
        name: t('plot.contactWaits'), type: 'bar', data: share(d.contactWaits), itemStyle: { color: '#1c7ed6' },
        markLine: asaBucket >= 0 ? {
          symbol: 'none', silent: true, lineStyle: { color: ASA_COLOR, width: 2, type: 'solid' },
          label: { formatter: t('plot.asaLine', { value: fmtDuration(asa) }), color: ASA_COLOR, fontWeight: 'bold' },
          data: [{ xAxis: asaBucket }],
        } : undefined,
      },
      { name: t('plot.journeyWaits'), type: 'bar', data: share(d.journeyWaits), itemStyle: { color: '#7048e8' } },
    ],
  // eslint-disable-next-line react-hooks/exhaustive-deps
  }), [d, i18n.language]);
  return (
    <ChartPanel
      testId="plot-distribution"
      title={t('plot.distributionTitle')}
      description={t('plot.distributionHint', { asa: fmtDuration(asa) })}
      chart={<Chart option={option} label={t('plot.distributionLabel', { asa: fmtDuration(asa), contacts: fmtNumber(d.contactWaits.total), journeys: fmtNumber(d.journeyWaits.total) })} height={340} />}
      table={
        <Table aria-label={t('plot.distributionTitle')} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('plot.wait')}</Table.Th>
              <Table.Th scope="col" ta="right">{t('plot.contactWaits')}</Table.Th>
              <Table.Th scope="col" ta="right">{t('plot.journeyWaits')}</Table.Th>
              <Table.Th scope="col" ta="right">{t('plot.multiAttemptWaits')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {labels.map((l, i) => (
              <Table.Tr key={l}>
                <Table.Th scope="row" fw={400}>{l}{i === asaBucket ? ` — ${t('plot.asaLine', { value: fmtDuration(asa) })}` : ''}</Table.Th>
                <Table.Td ta="right">{fmtNumber(d.contactWaits.counts[i])}</Table.Td>
                <Table.Td ta="right">{fmtNumber(d.journeyWaits.counts[i])}</Table.Td>
                <Table.Td ta="right">{fmtNumber(d.multiAttemptJourneyWaits.counts[i])}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      }
    />
  );
}

export function SurvivalPlot({ r }: { r: WaitsReport }) {
  const { t, i18n } = useTranslation('dashboard');
  const s = r.journeys.survival;
  const asa = r.reported.asaSeconds;
  const option = useMemo<ChartOption>(() => ({
    animation: false,
    grid: { left: 56, right: 24, top: 24, bottom: 48 },
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => fmtPercent(v), axisPointer: { label: { formatter: (p: { value: number }) => fmtDuration(p.value) } } },
    xAxis: { type: 'log', logBase: 10, min: 10, max: 28800, name: t('plot.afterT'), nameLocation: 'middle', nameGap: 30, axisLabel: { formatter: (v: number) => fmtDuration(v) } },
    yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: (v: number) => fmtPercent(v, 0) } },
    series: [{
      name: t('plot.stillWaiting'), type: 'line', step: 'end', symbolSize: 6, color: '#2f9e44',
      data: [[10, s.points.length ? 1 : null], ...s.points.map((p) => [p.seconds, p.stillWaiting])],
      markLine: asa ? {
        symbol: 'none', silent: true, lineStyle: { color: ASA_COLOR, width: 2, type: 'solid' },
        label: { formatter: t('plot.asaLine', { value: fmtDuration(asa) }), color: ASA_COLOR, fontWeight: 'bold' },
        data: [{ xAxis: Math.max(asa, 10) }],
      } : undefined,
    }],
  // eslint-disable-next-line react-hooks/exhaustive-deps
  }), [r, i18n.language]);
  return (
    <ChartPanel
      testId="plot-survival"
      title={t('plot.survivalTitle')}
      description={t('plot.survivalHint', { median: fmtDuration(s.medianSeconds) })}
      chart={<Chart option={option} label={t('plot.survivalLabel', { median: fmtDuration(s.medianSeconds) })} />}
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
                <Table.Th scope="row" fw={400}>{fmtDuration(p.seconds)}</Table.Th>
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

export function HeatMap({ r }: { r: WaitsReport }) {
  const { t, i18n } = useTranslation('dashboard');
  const { data: me } = useMe(); // hours of day are the account's business hours: labelled with its zone
  const [metric, setMetric] = useState<HeatMetric>('p90');
  const days = weekdayNames(i18n.language);
  const hours = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));
  const cells = new Map((r.groups ?? []).map((g) => [g.key, g]));
  const valueOf = (day: number, hour: string): number | null => {
    const g = cells.get(`${day + 1}-${hour}`);
    if (!g) return null;
    return metric === 'p90' ? g.lived.contactWaitSeconds.p90 : metric === 'contacts' ? g.contacts : g.reported.abandonRate;
  };
  const fmt = (v: number | null) => (v === null ? '–' : metric === 'p90' ? fmtDuration(v) : metric === 'contacts' ? fmtNumber(v) : fmtPercent(v));
  const data: [number, number, number][] = [];
  let max = 0;
  days.forEach((_, d) => hours.forEach((h, hi) => {
    const v = valueOf(d, h);
    if (v !== null) {
      data.push([hi, d, v]);
      max = Math.max(max, v);
    }
  }));
  const option = useMemo<ChartOption>(() => ({
    animation: false,
    grid: { left: 56, right: 16, top: 8, bottom: 72 },
    tooltip: { formatter: (p: { value: [number, number, number] }) => `${days[p.value[1]]} ${hours[p.value[0]]}:00 — ${fmt(p.value[2])}` },
    xAxis: { type: 'category', data: hours, splitArea: { show: true } },
    yAxis: { type: 'category', data: days, inverse: true, splitArea: { show: true } },
    visualMap: {
      min: 0, max: max || 1, calculable: true, orient: 'horizontal', left: 'center', bottom: 0,
      inRange: { color: ['#e7f5ff', '#74c0fc', '#1c7ed6', '#e8590c', '#c92a2a'] },
      formatter: (v: number) => fmt(v),
    },
    series: [{ name: t(`heat.${metric}`), type: 'heatmap', data, emphasis: { itemStyle: { borderColor: '#000', borderWidth: 1 } } }],
  // eslint-disable-next-line react-hooks/exhaustive-deps
  }), [r, metric, i18n.language]);
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
            {hours.map((h) => (
              <Table.Tr key={h}>
                <Table.Th scope="row" fw={400}>{h}:00</Table.Th>
                {days.map((d, di) => <Table.Td key={d} ta="right">{fmt(valueOf(di, h))}</Table.Td>)}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      }
    />
  );
}
