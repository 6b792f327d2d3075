/**
 * The leaders panel beside a conversation (issue 7); rendered by features/extras.tsx. When this conversation is in a
 * leader's sample: its state, the leader (or deputy), the follow-through, and the team can prepare it from here.
 */
import { useState } from 'react';
import { Badge, Button, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Conversation } from '../inbox/api';
import { useMe } from '../../lib/session';
import { fmtDuration } from '../../lib/format';
import { useItems } from './api';
import { PrepareForm } from './LeadersPage';

export function ConversationPanel({ conv }: { conv: Conversation }) {
  const { t } = useTranslation('leaders');
  const me = useMe();
  const items = useItems({ conversationId: conv.id });
  const [preparing, setPreparing] = useState(false);
  const item = items.data?.[0];
  if (!item) return null;
  const mayPrepare = (item.status === 'drawn' || item.status === 'prepared') && me.data?.role !== 'leader' && me.data?.user?.id !== item.assigneeId;
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="leaders-panel-title" data-testid="leaders-panel">
      <Stack gap={6}>
        <Title order={3} size="h5" id="leaders-panel-title">{t('panel.title')}</Title>
        <Text size="sm">{t('panel.for', { leader: item.assigneeName })}{item.reason ? ` – ${t(`reason.${item.reason}`, { leader: item.leaderName })}` : ''}</Text>
        <Badge variant="outline" color="blue.9">{t(`status.${item.status}`)}</Badge>
        {item.summary && <Text size="sm">{t('summary')}: {item.summary}</Text>}
        {item.handBackReason && <Text size="sm">{t('handBackReason')}: {item.handBackReason}</Text>}
        {item.followThrough && (
          <Text size="sm">
            {t('panel.follow', {
              replied: item.followThrough.customerReplied ? t('yes') : t('no'),
              status: item.followThrough.conversationStatus,
              time: fmtDuration(item.followThrough.timeToAnswerSeconds),
              score: item.followThrough.satisfaction ? `${item.followThrough.satisfaction.score}/5` : '–',
            })}
          </Text>
        )}
        {mayPrepare && !preparing && <Button size="xs" onClick={() => setPreparing(true)}>{item.status === 'drawn' ? t('prepare') : t('editPreparation')}</Button>}
        {preparing && <PrepareForm id={item.id} onDone={() => setPreparing(false)} />}
      </Stack>
    </Paper>
  );
}
