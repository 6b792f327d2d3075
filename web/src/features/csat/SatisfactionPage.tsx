/**
 * Satisfaction (issue 7): headline figures of the one-question survey (responses, response rate, average, CSAT = share
 * of 4–5), lived journey wait against the score (scatter of answers and the average per wait bucket, with the same
 * figures as a table for screen readers), per queue and channel, and the latest comments one click from their
 * conversation. Reports capability.
 */
import { useMemo, useState } from 'react';
import { Anchor, Badge, Center, Group, Loader, Paper, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import * as echarts from 'echarts/core';
import { ScatterChart } from 'echarts/charts';
import { can, useMe } from '../../lib/session';
import { fmtDateTime, fmtNumber } from '../../lib/format';
import { Chart, ChartPanel, type ChartOption } from '../dashboard/Chart';
import { NotAllowed } from '../dashboard/NotAllowed';
import { useQueues } from '../../api/queues';
import { useCsatPoints, useCsatReport, type Agg, type CsatFilter, type CsatPoints } from './api';
import { scoreColor } from './ConversationPanel';
import { SettingsPanel } from './SettingsPanel';
import { ScrollX } from '../../lib/ScrollX';

// The dashboards' Chart registers bars, lines and heat maps; the scatter of answers is registered here.
echarts.use([ScatterChart]);

type Channel = NonNullable<CsatFilter['channel']>;
const CHANNELS = ['email', 'chat', 'web', 'phone', 'api'] as const satisfies readonly Channel[];
const isChannel = (c: string | null): c is Channel => (CHANNELS as readonly (string | null)[]).includes(c);
const PERIODS = ['7', '30', '90'] as const;
const pct = (x: number | null | undefined) => (x === null || x === undefined ? '–' : `${fmtNumber(x, 1)} %`);

function Figure({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Paper withBorder p="md">
      <Text size="sm" c="dimmed" component="h2" m={0} fw={400}>{label}</Text>
      <Text fz={28} fw={700}>{value}</Text>
      {hint && <Text size="xs" c="dimmed">{hint}</Text>}
    </Paper>
  );
}

function AggTable({ label, first, rows }: { label: string; first: string; rows: (Agg & { key: string; name: string })[] }) {
  const { t } = useTranslation('csat');
  return (
    <ScrollX label={label}>
      <Table aria-label={label} fz="sm" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{first}</Table.Th>
            <Table.Th scope="col" ta="right">{t('figures.responses')}</Table.Th>
            <Table.Th scope="col" ta="right">{t('figures.average')}</Table.Th>
            <Table.Th scope="col" ta="right">{t('figures.csat')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.length === 0 && (
            <Table.Tr><Table.Td colSpan={4}>{t('empty')}</Table.Td></Table.Tr>
          )}
          {rows.map((r) => (
            <Table.Tr key={r.key}>
              <Table.Th scope="row" fw={400}>{r.name}</Table.Th>
              <Table.Td ta="right">{fmtNumber(r.responses)}</Table.Td>
              <Table.Td ta="right">{fmtNumber(r.average, 2)}</Table.Td>
              <Table.Td ta="right">{pct(r.csat)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollX>
  );
}

function WaitChart({ data }: { data: CsatPoints }) {
  const { t } = useTranslation('csat');
  const option = useMemo<ChartOption>(() => {
    const pts = data.points.filter((p) => p.livedWaitSeconds !== null);
    const maxMin = Math.max(1, ...pts.map((p) => (p.livedWaitSeconds ?? 0) / 60));
    const avgLine = data.buckets
      .filter((b) => b.average !== null)
      .map((b) => [b.to === null ? Math.max(b.from / 60 + 15, maxMin) : (b.from + b.to) / 120, b.average]);
    return {
      animation: false,
      grid: { left: 48, right: 16, top: 32, bottom: 48 },
      legend: { top: 0 },
      tooltip: { trigger: 'item' },
      xAxis: { type: 'value', name: t('chart.x'), nameLocation: 'middle', nameGap: 28, min: 0 },
      yAxis: { type: 'value', name: t('chart.y'), min: 1, max: 5, interval: 1 },
      series: [
        {
          type: 'scatter',
          name: t('chart.answers'),
          symbolSize: 9,
          itemStyle: { color: '#1c7ed6', opacity: 0.6 },
          data: pts.map((p) => [Math.round(((p.livedWaitSeconds ?? 0) / 60) * 10) / 10, p.score]),
        },
        { type: 'line', name: t('chart.bucketAverage'), data: avgLine, itemStyle: { color: '#c92a2a' }, lineStyle: { width: 2 } },
      ],
    };
  }, [data, t]);
  const table = (
    <ScrollX label={t('chart.tableLabel')}>
      <Table aria-label={t('chart.tableLabel')} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('chart.bucket')}</Table.Th>
            <Table.Th scope="col" ta="right">{t('figures.responses')}</Table.Th>
            <Table.Th scope="col" ta="right">{t('figures.average')}</Table.Th>
            <Table.Th scope="col" ta="right">{t('figures.csat')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data.buckets.map((b) => (
            <Table.Tr key={b.key}>
              <Table.Th scope="row" fw={400}>{t(`buckets.${b.key}`)}</Table.Th>
              <Table.Td ta="right">{fmtNumber(b.responses)}</Table.Td>
              <Table.Td ta="right">{fmtNumber(b.average, 2)}</Table.Td>
              <Table.Td ta="right">{pct(b.csat)}</Table.Td>
            </Table.Tr>
          ))}
          <Table.Tr>
            <Table.Th scope="row" fw={400}>{t('buckets.unknown')}</Table.Th>
            <Table.Td ta="right">{fmtNumber(data.unknownWait.responses)}</Table.Td>
            <Table.Td ta="right">{fmtNumber(data.unknownWait.average, 2)}</Table.Td>
            <Table.Td ta="right">{pct(data.unknownWait.csat)}</Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
    </ScrollX>
  );
  return (
    <ChartPanel
      testId="csat-wait-chart"
      title={t('chart.title')}
      description={t('chart.description')}
      chart={<Chart option={option} label={t('chart.label', { n: data.points.length })} />}
      table={table}
    />
  );
}

export default function SatisfactionPage() {
  const { t } = useTranslation('csat');
  const me = useMe();
  const [days, setDays] = useState<(typeof PERIODS)[number]>('30');
  const [channel, setChannel] = useState<Channel | null>(null);
  const [queue, setQueue] = useState<string | null>(null);
  const allowed = can(me.data?.role, 'reports');
  const filter: CsatFilter = useMemo(() => {
    const to = new Date();
    to.setUTCHours(24, 0, 0, 0);
    const from = new Date(to.getTime() - Number(days) * 86_400_000);
    return { from: from.toISOString(), to: to.toISOString(), channel: channel ?? undefined, queue: queue ?? undefined };
  }, [days, channel, queue]);
  const report = useCsatReport(filter, allowed);
  const points = useCsatPoints(filter, allowed);
  const queues = useQueues();
  if (me.data && !allowed) return <NotAllowed />;
  const r = report.data;
  return (
    <Stack gap="md">
      <Title order={1} size="h3">{t('title')}</Title>
      <Text size="sm" c="dimmed">{t('intro')}</Text>
      <Group gap="md" align="flex-end" wrap="wrap">
        <div>
          <Text size="sm" fw={500} id="csat-period-label" mb={4}>{t('filters.period')}</Text>
          <SegmentedControl aria-labelledby="csat-period-label" value={days} onChange={(v) => setDays(v as typeof days)}
            data={PERIODS.map((p) => ({ value: p, label: t('filters.days', { n: Number(p) }) }))} />
        </div>
        <Select label={t('filters.channel')} placeholder={t('filters.all')} clearable value={channel} onChange={(c) => setChannel(isChannel(c) ? c : null)} w={160}
          data={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))} />
        <Select label={t('filters.queue')} placeholder={t('filters.all')} clearable value={queue} onChange={setQueue} w={200}
          data={(queues.data?.items ?? []).map((q) => ({ value: q.id, label: q.name }))} />
      </Group>
      {!r ? (
        <Center p="xl"><Loader aria-label={t('loading')} /></Center>
      ) : (
        <>
          <SimpleGrid cols={{ base: 2, md: 4 }} data-testid="csat-figures">
            <Figure label={t('figures.responses')} value={fmtNumber(r.responses)} hint={t('figures.surveysSent', { count: r.surveys.sent, n: fmtNumber(r.surveys.sent), reminded: fmtNumber(r.surveys.reminded) })} />
            <Figure label={t('figures.responseRate')} value={pct(r.responseRate)} hint={t('figures.responseRateHint')} />
            <Figure label={t('figures.average')} value={fmtNumber(r.average, 2)} hint={t('figures.averageHint')} />
            <Figure label={t('figures.csat')} value={pct(r.csat)} hint={t('figures.csatHint')} />
          </SimpleGrid>
          {points.data && <WaitChart data={points.data} />}
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Paper withBorder p="md" component="section" aria-labelledby="csat-by-queue">
              <Title order={2} size="h4" id="csat-by-queue" mb="xs">{t('byQueue')}</Title>
              <AggTable label={t('byQueue')} first={t('filters.queue')}
                rows={r.byQueue.map((x) => ({ ...x, key: x.queueId ?? 'none', name: x.queueName ?? t('noQueue') }))} />
            </Paper>
            <Paper withBorder p="md" component="section" aria-labelledby="csat-by-channel">
              <Title order={2} size="h4" id="csat-by-channel" mb="xs">{t('byChannel')}</Title>
              <AggTable label={t('byChannel')} first={t('filters.channel')}
                rows={r.byChannel.map((x) => ({ ...x, key: x.channel, name: t(`channel.${x.channel}`, { defaultValue: x.channel }) }))} />
            </Paper>
          </SimpleGrid>
          <Paper withBorder p="md" component="section" aria-labelledby="csat-comments">
            <Title order={2} size="h4" id="csat-comments" mb="xs">{t('comments.title')}</Title>
            {r.comments.length === 0 ? (
              <Text size="sm">{t('comments.none')}</Text>
            ) : (
              <div style={{ overflowX: 'auto' }}>
                <ScrollX label={t('comments.title')}>
                  <Table aria-label={t('comments.title')} fz="sm" data-testid="csat-comments">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th scope="col">{t('comments.score')}</Table.Th>
                        <Table.Th scope="col">{t('comments.comment')}</Table.Th>
                        <Table.Th scope="col">{t('filters.channel')}</Table.Th>
                        <Table.Th scope="col">{t('comments.at')}</Table.Th>
                        <Table.Th scope="col">{t('comments.conversation')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {r.comments.map((c) => (
                        <Table.Tr key={c.conversationId}>
                          <Table.Td><Badge color={scoreColor(c.score)} variant="filled">{t('panel.score', { score: c.score })}</Badge></Table.Td>
                          <Table.Td style={{ whiteSpace: 'pre-wrap', maxWidth: 420 }}>{c.comment}</Table.Td>
                          <Table.Td>{t(`channel.${c.channel}`, { defaultValue: c.channel })}</Table.Td>
                          <Table.Td style={{ whiteSpace: 'nowrap' }}>{fmtDateTime(c.at)}</Table.Td>
                          <Table.Td>
                            <Anchor component={Link} to={`/conversations/${c.conversationId}`}>{t('comments.open', { number: c.number })}</Anchor>
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </ScrollX>
              </div>
            )}
          </Paper>
        </>
      )}
      {can(me.data?.role, 'admin') && <SettingsPanel />}
    </Stack>
  );
}
