/**
 * The dashboard's first sentence: what the usual figure says (the reported ASA) against what customers lived, with
 * the factor between them, computed from the waits report. The point of the page in ten seconds.
 */
import { Paper, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { fmtNumber, fmtPercent } from '../../lib/format';
import type { WaitsReport } from './api';
import { fmtCompact, fmtRatio } from './human';

/** Which story the figures tell: multi-attempt customers waited ≥ 2× the ASA, else one in ten did, else they agree. */
export function headlineKind(r: WaitsReport): { kind: 'multi' | 'p90' | 'same'; lived: number; ratio: number } | null {
  const asa = r.reported.asaSeconds;
  if (!asa) return null;
  const multi = r.journeys.multiAttemptWaitSeconds.p50;
  if (r.journeys.multiAttempt > 0 && multi !== null && multi / asa >= 2) return { kind: 'multi', lived: multi, ratio: multi / asa };
  const p90 = r.journeys.waitSeconds.p90;
  if (p90 === null) return null;
  return p90 / asa >= 2 ? { kind: 'p90', lived: p90, ratio: p90 / asa } : { kind: 'same', lived: p90, ratio: p90 / asa };
}

export function Headline({ r }: { r: WaitsReport }) {
  const { t } = useTranslation('dashboard');
  const h = headlineKind(r);
  if (!h) return null;
  const j = r.journeys;
  return (
    <Paper component="section" aria-label={t('headline.label')} data-testid="dashboard-headline" p="md" radius="md"
      style={{ borderLeft: '6px solid #e8590c', background: 'var(--mantine-color-orange-0)' }}>
      <Text fz={{ base: 'md', sm: 'lg' }}>{t('headline.reported', { asa: fmtCompact(t, r.reported.asaSeconds) })}</Text>
      <Text fz={{ base: 20, sm: 24 }} fw={700} lh={1.3} c="var(--mantine-color-red-9)">
        {t(`headline.${h.kind}`, { lived: fmtCompact(t, h.lived), ratio: fmtRatio(h.ratio) })}
      </Text>
      {(j.multiAttempt > 0 || j.neverServed > 0) && (
        <Text size="sm" mt={4}>
          {j.multiAttempt > 0 && t('headline.detailMulti', { count: j.multiAttempt, n: fmtNumber(j.multiAttempt), share: fmtPercent(j.answered ? j.multiAttempt / j.answered : null, 0) })}
          {j.multiAttempt > 0 && j.neverServed > 0 && ' '}
          {j.neverServed > 0 && t('headline.detailNever', { count: j.neverServed, n: fmtNumber(j.neverServed) })}
        </Text>
      )}
    </Paper>
  );
}
