/** The usual figures and the lived ones, side by side, with the gap between them. */
import { Paper, SimpleGrid, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { fmtNumber, fmtPercent } from '../../lib/format';
import { fmtHuman } from './human';
import type { WaitsReport } from './api';

const times = (x: number | null | undefined) => (x === null || x === undefined ? '–' : `${fmtNumber(x, 1)} ×`);

/** A row: name, value, a hint under the name, a line under the value (e.g. the rate's denominator). */
type Row = [string, string, string?, string?];

function FigureTable({ label, rows }: { label: string; rows: Row[] }) {
  return (
    <Table aria-label={label} verticalSpacing={6}>
      <Table.Tbody>
        {rows.map(([name, value, hint, sub]) => (
          <Table.Tr key={name}>
            <Table.Th scope="row" fw={400}>
              {name}
              {hint && <Text size="xs" c="dimmed">{hint}</Text>}
            </Table.Th>
            <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
              <Text span fz="xl" fw={700}>{value}</Text>
              {sub && <Text size="xs" c="dimmed">{sub}</Text>}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** One panel: a heading (also the table's name), what it means, the table. */
function FigureSection({ id, title, hint, rows }: { id: string; title: string; hint: string; rows: Row[] }) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={id}>
      <Title order={2} size="h4" id={id}>{title}</Title>
      <Text size="sm" c="dimmed" mb="xs">{hint}</Text>
      <FigureTable label={title} rows={rows} />
    </Paper>
  );
}

export function Figures({ r }: { r: WaitsReport }) {
  const { t } = useTranslation('dashboard');
  const j = r.journeys;
  const lived = r.lived.contactWaitSeconds;
  const servedJourneys = j.answered;
  return (
    <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
      <FigureSection
        id="fig-reported"
        title={t('figures.reported')}
        hint={t('figures.reportedHint')}
        rows={[
          [t('figures.asa'), fmtHuman(t, r.reported.asaSeconds), t('figures.asaHint')],
          [t('figures.serviceLevel', { seconds: fmtNumber(r.reported.thresholdSeconds) }), fmtPercent(r.reported.serviceLevel)],
          [t('figures.abandonRate'), fmtPercent(r.reported.abandonRate),
            t('figures.abandonHint', { abandoned: fmtNumber(r.abandonedInQueue), queued: fmtNumber(r.queued) }),
            t('figures.abandonOf', { queued: fmtNumber(r.queued) })],
          [t('figures.contacts'), fmtNumber(r.contacts)],
          [t('figures.queued'), fmtNumber(r.queued), t('figures.queuedHint')],
          [t('figures.answered'), fmtNumber(r.answered)],
        ]}
      />
      <FigureSection
        id="fig-lived"
        title={t('figures.lived')}
        hint={t('figures.livedHint')}
        rows={[
          [t('figures.contactWait', { p: 50 }), fmtHuman(t, lived.p50)],
          [t('figures.contactWait', { p: 90 }), fmtHuman(t, lived.p90)],
          [t('figures.contactWait', { p: 99 }), fmtHuman(t, lived.p99)],
          [t('figures.journeyWait', { p: 50 }), fmtHuman(t, j.waitSeconds.p50), t('figures.journeyWaitHint')],
          [t('figures.journeyWait', { p: 90 }), fmtHuman(t, j.waitSeconds.p90)],
        ]}
      />
      <FigureSection
        id="fig-missed"
        title={t('figures.missed')}
        hint={t('figures.missedHint')}
        rows={[
          [t('figures.multiAttemptShare'), `${fmtPercent(servedJourneys ? j.multiAttempt / servedJourneys : null)} (${fmtNumber(j.multiAttempt)})`, t('figures.multiAttemptShareHint')],
          [t('figures.multiAttemptWait'), fmtHuman(t, j.multiAttemptWaitSeconds.p50)],
          [t('figures.neverServed'), fmtNumber(j.neverServed)],
          [t('figures.stillWaiting'), fmtNumber(j.stillWaiting)],
          [t('figures.gapP90'), times(r.gap.livedP90OverReportedAsa), t('figures.gapP90Hint')],
          [t('figures.gapMulti'), times(r.gap.multiAttemptP50OverReportedAsa), t('figures.gapMultiHint')],
        ]}
      />
    </SimpleGrid>
  );
}
