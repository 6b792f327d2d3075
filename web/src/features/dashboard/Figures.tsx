/** The usual figures and the lived ones, side by side, with the gap between them. */
import { Paper, SimpleGrid, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { fmtDuration, fmtNumber, fmtPercent } from '../../lib/format';
import type { WaitsReport } from './api';

const times = (x: number | null | undefined) => (x === null || x === undefined ? '–' : `${fmtNumber(x, 1)} ×`);

function FigureTable({ label, rows }: { label: string; rows: [string, string, string?][] }) {
  return (
    <Table aria-label={label} verticalSpacing={6}>
      <Table.Tbody>
        {rows.map(([name, value, hint]) => (
          <Table.Tr key={name}>
            <Table.Th scope="row" fw={400}>
              {name}
              {hint && <Text size="xs" c="dimmed">{hint}</Text>}
            </Table.Th>
            <Table.Td ta="right" fz="xl" fw={700} style={{ whiteSpace: 'nowrap' }}>{value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function Figures({ r }: { r: WaitsReport }) {
  const { t } = useTranslation('dashboard');
  const j = r.journeys;
  const lived = r.lived.contactWaitSeconds;
  const servedJourneys = j.answered;
  return (
    <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
      <Paper withBorder p="md" component="section" aria-labelledby="fig-reported">
        <Title order={2} size="h4" id="fig-reported">{t('figures.reported')}</Title>
        <Text size="sm" c="dimmed" mb="xs">{t('figures.reportedHint')}</Text>
        <FigureTable
          label={t('figures.reported')}
          rows={[
            [t('figures.asa'), fmtDuration(r.reported.asaSeconds), t('figures.asaHint')],
            [t('figures.serviceLevel', { seconds: fmtNumber(r.reported.thresholdSeconds) }), fmtPercent(r.reported.serviceLevel)],
            [t('figures.abandonRate'), fmtPercent(r.reported.abandonRate)],
            [t('figures.contacts'), fmtNumber(r.contacts)],
            [t('figures.answered'), fmtNumber(r.answered)],
          ]}
        />
      </Paper>
      <Paper withBorder p="md" component="section" aria-labelledby="fig-lived">
        <Title order={2} size="h4" id="fig-lived">{t('figures.lived')}</Title>
        <Text size="sm" c="dimmed" mb="xs">{t('figures.livedHint')}</Text>
        <FigureTable
          label={t('figures.lived')}
          rows={[
            [t('figures.contactWait', { p: 50 }), fmtDuration(lived.p50)],
            [t('figures.contactWait', { p: 90 }), fmtDuration(lived.p90)],
            [t('figures.contactWait', { p: 99 }), fmtDuration(lived.p99)],
            [t('figures.journeyWait', { p: 50 }), fmtDuration(j.waitSeconds.p50), t('figures.journeyWaitHint')],
            [t('figures.journeyWait', { p: 90 }), fmtDuration(j.waitSeconds.p90)],
          ]}
        />
      </Paper>
      <Paper withBorder p="md" component="section" aria-labelledby="fig-missed">
        <Title order={2} size="h4" id="fig-missed">{t('figures.missed')}</Title>
        <Text size="sm" c="dimmed" mb="xs">{t('figures.missedHint')}</Text>
        <FigureTable
          label={t('figures.missed')}
          rows={[
            [t('figures.multiAttemptShare'), `${fmtPercent(servedJourneys ? j.multiAttempt / servedJourneys : null)} (${fmtNumber(j.multiAttempt)})`, t('figures.multiAttemptShareHint')],
            [t('figures.multiAttemptWait'), fmtDuration(j.multiAttemptWaitSeconds.p50)],
            [t('figures.neverServed'), fmtNumber(j.neverServed)],
            [t('figures.stillWaiting'), fmtNumber(j.stillWaiting)],
            [t('figures.gapP90'), times(r.gap.livedP90OverReportedAsa), t('figures.gapP90Hint')],
            [t('figures.gapMulti'), times(r.gap.multiAttemptP50OverReportedAsa), t('figures.gapMultiHint')],
          ]}
        />
      </Paper>
    </SimpleGrid>
  );
}
