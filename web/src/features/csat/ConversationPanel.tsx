/**
 * The satisfaction panel beside a conversation (issue 7): whether the survey was sent (and how), reminded, and the
 * customer's answer with its comment. Rendered by features/extras.tsx; null while there is nothing to show.
 */
import { Badge, Group, Paper, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { fmtDateTime } from '../../lib/format';
import type { Conversation } from '../inbox/api';
import { useCsatState } from './api';

export const scoreColor = (s: number) => (s >= 4 ? 'teal.9' : s === 3 ? 'yellow.9' : 'red.9');

export function ConversationPanel({ conv }: { conv: Conversation }) {
  const { t } = useTranslation('csat');
  const q = useCsatState(conv.id);
  const d = q.data;
  if (!d || (!d.survey && !d.answer)) return null;
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="csat-panel-title" data-testid="csat-panel">
      <Title order={2} size="h5" id="csat-panel-title" mb="xs">{t('panel.title')}</Title>
      {d.survey && (
        <Text size="sm">
          {d.survey.route === 'no_route'
            ? t('panel.noRoute')
            : t('panel.sent', { route: t(`route.${d.survey.route}`), at: fmtDateTime(d.survey.sentAt), language: d.survey.language })}
        </Text>
      )}
      {d.survey?.remindedAt && <Text size="sm">{t('panel.reminded', { at: fmtDateTime(d.survey.remindedAt) })}</Text>}
      {d.answer ? (
        <>
          <Group gap="xs" mt={4}>
            <Badge color={scoreColor(d.answer.score)} variant="filled">{t('panel.score', { score: d.answer.score })}</Badge>
            <Text size="xs" c="dimmed">{t('panel.answered', { source: t(`source.${d.answer.source}`), at: fmtDateTime(d.answer.at) })}</Text>
          </Group>
          {d.answer.comment && <Text size="sm" mt={4} style={{ whiteSpace: 'pre-wrap' }}>“{d.answer.comment}”</Text>}
        </>
      ) : (
        d.survey && d.survey.route !== 'no_route' && <Text size="sm" c="dimmed">{t('panel.waiting', { until: fmtDateTime(d.survey.expiresAt) })}</Text>
      )}
    </Paper>
  );
}
