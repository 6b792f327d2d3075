/** Reported vs lived: the usual figures and what customers lived through, for any period, queue and channel. */
import { useState } from 'react';
import { Alert, Button, Center, Group, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { can, useMe } from '../../lib/session';
import { fmtZoned } from '../../lib/format';
import { useDistribution, useHeat, useMultiAttempt, useWaits } from './api';
import { FilterBar, useFilterState } from './Filters';
import { Figures } from './Figures';
import { DistributionPlot, HeatMap, SurvivalPlot } from './Plots';
import { MultiAttemptJourneys } from './Journeys';
import { NotAllowed } from './NotAllowed';
import { Headline } from './Headline';
import { AnecdoteAudit } from './Anecdotes';

function Failed({ error }: { error: unknown }) {
  const { t } = useTranslation('dashboard');
  return <Alert color="red" title={t('error')}>{error instanceof Error ? error.message : String(error)}</Alert>;
}

const Spinner = () => {
  const { t } = useTranslation('dashboard');
  return <Center h={200}><Loader role="status" aria-label={t('loading')} /></Center>;
};

export default function DashboardPage() {
  const { data: me } = useMe();
  return can(me?.role, 'reports') ? <Dashboard /> : <NotAllowed />;
}

function Dashboard() {
  const { t } = useTranslation('dashboard');
  const { data: me } = useMe();
  const tz = me?.account.timezone ?? 'UTC';
  const [state, filters, update] = useFilterState(tz);
  const waits = useWaits(filters);
  const dist = useDistribution(filters);
  const heat = useHeat(filters);
  const [limit, setLimit] = useState(20);
  const journeys = useMultiAttempt(filters, limit);
  const r = waits.data;
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} size="h3">{t('title')}</Title>
          <Text size="sm" c="dimmed">{t('subtitle')}</Text>
        </div>
        {r && (
          <Text size="xs" c="dimmed" data-testid="dashboard-period">
            {r.period.from || r.period.to ? t('periodShown', { from: fmtZoned(r.period.from, tz), to: fmtZoned(r.period.to, tz) }) : t('period.all')}
            {' · '}{t('definitions', { version: r.definitions })}
          </Text>
        )}
      </Group>
      {r && r.contacts > 0 && <Headline r={r} />}
      <FilterBar state={state} update={update} />
      {waits.error ? <Failed error={waits.error} /> : !r ? <Spinner /> : (
        <>
          {r.contacts === 0 && (
            <Alert color="blue" title={t('empty.title')}>
              <Text size="sm" mb="xs">{t('empty.text')}</Text>
              {state.period !== 'all' && <Button size="xs" onClick={() => update({ period: 'all' })}>{t('empty.showAll')}</Button>}
            </Alert>
          )}
          <Figures r={r} />
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
            {dist.error ? <Failed error={dist.error} /> : dist.data ? <DistributionPlot d={dist.data} r={r} /> : <Spinner />}
            <SurvivalPlot r={r} />
          </SimpleGrid>
          {heat.error ? <Failed error={heat.error} /> : heat.data ? <HeatMap r={heat.data} /> : <Spinner />}
          {journeys.error ? <Failed error={journeys.error} /> : journeys.data ? <MultiAttemptJourneys
              items={journeys.data.items}
              onMore={journeys.data.items.length >= limit && limit < 500 ? () => setLimit((l) => Math.min(500, l * 5)) : undefined}
            /> : <Spinner />}
          <AnecdoteAudit filters={filters} />
        </>
      )}
    </Stack>
  );
}
