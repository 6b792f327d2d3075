/**
 * The anecdote audit: what customers say they waited vs what was measured for them (GET /reports/anecdotes,
 * docs/listening-audit.md). Figures for the period (and the chosen queue or channel), a table by week, queue or
 * channel with the share contradicted, and the latest contradicted claims and blind spots, each one click from its
 * conversation.
 */
import { useState } from 'react';
import { Anchor, Badge, Center, Group, Loader, Paper, SegmentedControl, SimpleGrid, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { fmtDate, fmtDateTime, fmtDuration, fmtNumber, fmtPercent } from '../../lib/format';
import { useAnecdotes, type AnecdoteExample, type AnecdoteFigures, type AnecdoteGroup, type Filters } from './api';
import { ScrollX } from '../../lib/ScrollX';

const GROUPS: AnecdoteGroup[] = ['week', 'queue', 'channel'];
const verdictColor = { contradicted: 'red.9', blind_spot: 'violet.9', agrees: 'teal.9' } as const;
type ExampleVerdict = keyof typeof verdictColor;

const measuredOf = (e: AnecdoteExample) =>
  e.measuredContactSeconds === null && e.measuredJourneySeconds === null ? null : Math.max(e.measuredContactSeconds ?? 0, e.measuredJourneySeconds ?? 0);

function Examples({ examples }: { examples: { e: AnecdoteExample; verdict: ExampleVerdict }[] }) {
  const { t } = useTranslation('dashboard');
  if (!examples.length) return <Text size="sm">{t('anecdotes.noExamples')}</Text>;
  return (
    <ScrollX label={t('anecdotes.examples')}>
      <Table aria-label={t('anecdotes.examples')} highlightOnHover fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('anecdotes.messageAt')}</Table.Th>
            <Table.Th scope="col" ta="right">{t('anecdotes.claimed')}</Table.Th>
            <Table.Th scope="col" ta="right">{t('anecdotes.measured')}</Table.Th>
            <Table.Th scope="col">{t('anecdotes.verdict')}</Table.Th>
            <Table.Th scope="col">{t('journeys.conversation')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {examples.map(({ e, verdict }) => {
            const claimed = e.claimedMinutes === null ? null : e.claimedMinutes * 60;
            const measured = measuredOf(e);
            return (
              <Table.Tr key={e.messageId} data-testid="anecdote-example">
                <Table.Td>{fmtDateTime(e.at)}</Table.Td>
                <Table.Td ta="right" fw={600}>{fmtDuration(claimed)}</Table.Td>
                <Table.Td ta="right">{measured === null ? t('anecdotes.nothingMeasured') : fmtDuration(measured)}</Table.Td>
                <Table.Td>
                  <Badge variant="outline" color={verdictColor[verdict]} style={{ minWidth: 'max-content' }}>{t(`anecdotes.verdicts.${verdict}`)}</Badge>
                </Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/conversations/${e.conversationId}`}
                    aria-label={t('anecdotes.openExample', { claimed: fmtDuration(claimed), measured: measured === null ? t('anecdotes.nothingMeasured') : fmtDuration(measured), at: fmtDateTime(e.at) })}>
                    {t('journeys.openConversation')}
                  </Anchor>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </ScrollX>
  );
}

function Summary({ f }: { f: AnecdoteFigures }) {
  const { t } = useTranslation('dashboard');
  const rows: [string, string, string][] = [
    [t('anecdotes.claims'), fmtNumber(f.claims), t('anecdotes.claimsHint', { count: f.noFigure, n: fmtNumber(f.noFigure) })],
    [t('anecdotes.contradictedShare'), fmtPercent(f.contradictedShare), t('anecdotes.contradictedHint', { n: fmtNumber(f.contradicted), of: fmtNumber(f.agrees + f.contradicted) })],
    [t('anecdotes.blindSpots'), fmtNumber(f.blindSpots), t('anecdotes.blindSpotsHint', { share: fmtPercent(f.blindSpotShare) })],
    [t('anecdotes.agrees'), fmtNumber(f.agrees), t('anecdotes.agreesHint')],
  ];
  return (
    <Table aria-label={t('anecdotes.summary')} verticalSpacing={6}>
      <Table.Tbody>
        {rows.map(([name, value, hint]) => (
          <Table.Tr key={name}>
            <Table.Th scope="row" fw={400}>
              {name}
              <Text size="xs" c="dimmed">{hint}</Text>
            </Table.Th>
            <Table.Td ta="right" fz="xl" fw={700} style={{ whiteSpace: 'nowrap' }}>{value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function AnecdoteAudit({ filters }: { filters: Filters }) {
  const { t } = useTranslation('dashboard');
  const [by, setBy] = useState<AnecdoteGroup>('week');
  // The API has no queue/channel filter: a chosen queue (or channel) is read from the report grouped by it.
  const pick: { by: AnecdoteGroup; key: string } | null = filters.queue ? { by: 'queue', key: filters.queue } : filters.channel ? { by: 'channel', key: filters.channel } : null;
  const table = useAnecdotes(filters, by);
  const summary = useAnecdotes(filters, pick?.by ?? by);
  const s = summary.data;
  const empty: AnecdoteFigures = { claims: 0, agrees: 0, contradicted: 0, blindSpots: 0, noFigure: 0, contradictedShare: null, blindSpotShare: null, examples: { contradicted: [], blindSpots: [] } };
  const figures = !s ? null : pick ? s.groups.find((g) => g.key === pick.key) ?? empty : s.total;
  const label = (key: string | null, fallback: string) =>
    by === 'week' ? (key ? t('anecdotes.weekOf', { date: fmtDate(key) }) : '–')
      : by === 'channel' ? (key ? t(`channel.${key}`, { defaultValue: key }) : '–')
        : key === null ? t('anecdotes.noQueue') : fallback;
  const error = table.error ?? summary.error;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="anecdotes-title" data-testid="anecdote-audit">
      <Title order={2} size="h4" id="anecdotes-title">{t('anecdotes.title')}</Title>
      <Text size="sm" c="dimmed" mb="xs">{t('anecdotes.hint')}</Text>
      {pick && <Text size="xs" c="dimmed" mb="xs">{t(filters.queue && filters.channel ? 'anecdotes.filterQueueOnly' : 'anecdotes.filterNote')}</Text>}
      {error ? (
        <Text c="red.9" role="alert">{t('error')}: {error instanceof Error ? error.message : String(error)}</Text>
      ) : !figures || !table.data ? (
        <Center h={120}><Loader role="status" aria-label={t('loading')} /></Center>
      ) : (
        <>
          {s!.alerts.map((a) => (
            <Text key={a.week} c="red.9" fw={600} size="sm" mb="xs" role="note">
              {t('anecdotes.alert', { week: fmtDate(a.week), share: fmtPercent(a.contradictedShare), claims: fmtNumber(a.claims), previous: fmtPercent(a.previousShare) })}
            </Text>
          ))}
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
            <div>
              <Summary f={figures} />
              {!!s?.delivery?.claims && (
                <Text size="xs" c="dimmed" mt="xs" data-testid="anecdote-delivery">
                  {t('anecdotes.delivery', { claims: fmtNumber(s.delivery.claims), contradicted: fmtNumber(s.delivery.contradicted) })}
                </Text>
              )}
            </div>
            <div>
              <Group justify="space-between" align="center" mb="xs">
                <Title order={3} size="h5">{t('anecdotes.byTitle', { by: t(`anecdotes.by.${by}`) })}</Title>
                <SegmentedControl size="xs" aria-label={t('anecdotes.groupBy')} value={by} onChange={(v) => setBy(v as AnecdoteGroup)}
                  data={GROUPS.map((g) => ({ value: g, label: t(`anecdotes.by.${g}`) }))} />
              </Group>
              {table.data.groups.length === 0 ? <Text size="sm">{t('anecdotes.none')}</Text> : (
                <ScrollX label={t('anecdotes.table', { by: t(`anecdotes.by.${by}`) })}>
                  <Table aria-label={t('anecdotes.table', { by: t(`anecdotes.by.${by}`) })} fz="sm">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th scope="col">{t(`anecdotes.by.${by}`)}</Table.Th>
                        <Table.Th scope="col" ta="right">{t('anecdotes.claims')}</Table.Th>
                        <Table.Th scope="col" ta="right">{t('anecdotes.verdicts.contradicted')}</Table.Th>
                        <Table.Th scope="col" ta="right">{t('anecdotes.blindSpots')}</Table.Th>
                        <Table.Th scope="col" ta="right">{t('anecdotes.agrees')}</Table.Th>
                        <Table.Th scope="col" ta="right">{t('anecdotes.contradictedShare')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {table.data.groups.map((g) => (
                        <Table.Tr key={g.key ?? '-'}>
                          <Table.Th scope="row" fw={400}>{label(g.key, g.label)}</Table.Th>
                          <Table.Td ta="right">{fmtNumber(g.claims)}</Table.Td>
                          <Table.Td ta="right">{fmtNumber(g.contradicted)}</Table.Td>
                          <Table.Td ta="right">{fmtNumber(g.blindSpots)}</Table.Td>
                          <Table.Td ta="right">{fmtNumber(g.agrees)}</Table.Td>
                          <Table.Td ta="right" fw={700}>{fmtPercent(g.contradictedShare, 0)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </ScrollX>
              )}
            </div>
          </SimpleGrid>
          <Title order={3} size="h5" mt="md" mb="xs">{t('anecdotes.examples')}</Title>
          <Examples examples={[
            ...figures.examples.contradicted.map((e) => ({ e, verdict: 'contradicted' as const })),
            ...figures.examples.blindSpots.map((e) => ({ e, verdict: 'blind_spot' as const })),
          ]} />
        </>
      )}
    </Paper>
  );
}
