/**
 * The respect panel beside a conversation (issue 7): the customer's measures in force and "report abuse" (propose a
 * measure with this customer's messages as evidence). Rendered by features/extras.tsx.
 */
import { useState } from 'react';
import { Anchor, Badge, Button, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { fmtDateTime } from '../../lib/format';
import { useMe } from '../../lib/session';
import type { Conversation } from '../inbox/api';
import { useMeasures } from './api';
import { ProposeDialog } from './ProposeDialog';
import { AppealDialog } from './AppealDialog';

export function ConversationPanel({ conv }: { conv: Conversation }) {
  const { t } = useTranslation('respect');
  const me = useMe().data;
  const [open, setOpen] = useState(false);
  const [appealFor, setAppealFor] = useState<string | null>(null);
  const active = useMeasures({ customerId: conv.customerId, status: 'active' }).data ?? [];
  const proposed = useMeasures({ customerId: conv.customerId, status: 'proposed' }).data ?? [];
  const candidates = conv.messages
    .filter((m) => m.kind === 'message' && m.direction === 'inbound' && m.authorType === 'customer')
    .map((m) => ({ id: m.id, text: m.text }));
  if (!me?.user) return null;
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="respect-panel-title">
      <Title order={3} size="h5" id="respect-panel-title" mb={6}>{t('panel.title')}</Title>
      <Stack gap={6}>
        {active.length === 0 && <Text size="sm">{t('panel.none')}</Text>}
        {active.map((m) => (
          <Text size="sm" key={m.id} data-testid="panel-measure">
            <Badge size="sm" variant="outline" color="red.9" tt="none" mr={6}>{t(`kinds.${m.kind}`)}</Badge>
            {t('panel.until', { until: fmtDateTime(m.until) })}
            {m.openAppeals === 0 && (
              <Anchor component="button" type="button" size="sm" ml={6} onClick={() => setAppealFor(m.id)}>{t('appeal.open')}</Anchor>
            )}
          </Text>
        ))}
        {proposed.length > 0 && <Text size="sm" c="dimmed">{t('panel.proposed', { count: proposed.length })}</Text>}
        <Button size="xs" variant="default" onClick={() => setOpen(true)}>{t('reportAbuse')}</Button>
      </Stack>
      {appealFor && <AppealDialog measureId={appealFor} onClose={() => setAppealFor(null)} />}
      {open && <ProposeDialog opened onClose={() => setOpen(false)} customerId={conv.customerId} conversationId={conv.id} candidates={candidates} />}
    </Paper>
  );
}
