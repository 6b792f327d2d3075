/**
 * The customer beside a conversation: name, identities, language; open callbacks; past conversations (links); the
 * journey history across every channel with each contact's lived wait (GET /customers/:id/timeline).
 */
import { Anchor, Badge, Box, Group, List, Paper, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useEffect } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { get } from '../../lib/api';
import { onChange } from '../../lib/realtime';
import { fmtDateTime, fmtDuration } from '../../lib/format';
import type { Conversation, CustomerTimeline, Status } from './api';
import { ChannelBadge, StatusBadge } from './bits';

const LANG_NAMES: Record<string, string> = { en: 'English', de: 'Deutsch', nb: 'Norsk (bokmål)' };

/** A sidebar panel with a heading and a list named after it, or a dimmed line when the list is empty. */
function ListPanel({ title, empty, children }: { title: string; empty: string; children: ReactNode[] }) {
  return (
    <Paper withBorder p="sm">
      <Title order={3} size="h6">{title}</Title>
      {children.length ? (
        <List size="sm" spacing={4} listStyleType="none" aria-label={title}>
          {children}
        </List>
      ) : (
        <Text size="sm" c="dimmed">{empty}</Text>
      )}
    </Paper>
  );
}

export function CustomerSidebar({ conv }: { conv: Conversation }) {
  const { t } = useTranslation('inbox');
  const cu = conv.customer;
  const tl = useQuery({
    queryKey: ['customer', cu.id, 'timeline'],
    queryFn: () => get<CustomerTimeline>(`/customers/${cu.id}/timeline?limit=100`),
  });
  // A reply, a new message or a status change (here or by a colleague, via the realtime socket) changes the journey:
  // "still waiting" must not outlive the answer.
  const qc = useQueryClient();
  useEffect(
    () =>
      onChange((m) => {
        if ((m.conversationId && m.conversationId === conv.id) || m.customerId === cu.id)
          void qc.invalidateQueries({ queryKey: ['customer', cu.id] });
      }),
    [conv.id, cu.id, qc],
  );
  const items = tl.data?.items ?? [];
  const callbacks = items.filter((i) => i.kind === 'callback' && i.callback?.status === 'open');
  const past = items.filter((i) => i.kind === 'conversation' && i.conversationId !== conv.id);
  return (
    <Stack component="aside" aria-labelledby="customer-title" gap="sm" data-testid="customer-sidebar">
      <Paper withBorder p="sm">
        <Title order={2} size="h5" id="customer-title">{t('customer.title')}</Title>
        <Text fw={600} mt={4}>{cu.name || t('row.unknownCustomer')}</Text>
        <Text size="xs" c="dimmed" mt={6}>{t('customer.identities')}</Text>
        <List size="sm" spacing={2} listStyleType="none" aria-label={t('customer.identities')}>
          {cu.identities.map((i) => (
            <List.Item key={`${i.kind}:${i.value}`}>
              <Text span size="xs" c="dimmed">{t(`identity.${i.kind}`, { defaultValue: i.kind })}: </Text>
              <Text span size="sm" style={{ wordBreak: 'break-all' }}>{i.value}</Text>
            </List.Item>
          ))}
          {!cu.identities.length && <List.Item><Text size="sm" c="dimmed">–</Text></List.Item>}
        </List>
        <Text size="xs" c="dimmed" mt={6}>{t('customer.language')}</Text>
        <Text size="sm" data-testid="customer-language">{cu.language ? LANG_NAMES[cu.language] ?? cu.language : '–'}</Text>
      </Paper>

      <ListPanel title={t('customer.callbacks')} empty={t('customer.noCallbacks')}>
        {callbacks.map((i) => (
          <List.Item key={i.callback!.id}>
            <Group gap={6}>
              <Text size="sm">{t('customer.callbackDue', { at: fmtDateTime(i.callback!.dueAt) })}</Text>
              {i.callback!.breached && <Badge size="xs" color="red">{t('sla.breached')}</Badge>}
            </Group>
            <Text size="xs" c="dimmed">{i.queue?.name ?? ''} · {t('customer.attempts', { count: i.callback!.attempts })}</Text>
          </List.Item>
        ))}
      </ListPanel>

      <ListPanel title={t('customer.past')} empty={t('customer.noPast')}>
        {past.slice(0, 20).map((i) => (
          <List.Item key={i.conversationId}>
            <Group gap={6} wrap="nowrap">
              <Anchor component={Link} to={`/conversations/${i.conversationId}`} size="sm" lineClamp={1}>
                #{i.number} {i.subject}
              </Anchor>
              {i.status && <Box style={{ flexShrink: 0 }}><StatusBadge status={i.status as Status} /></Box>}
            </Group>
          </List.Item>
        ))}
      </ListPanel>

      <Paper withBorder p="sm">
        <Title order={3} size="h6">{t('customer.journey')}</Title>
        <Text size="xs" c="dimmed">{t('customer.journeyHint')}</Text>
        {tl.isLoading ? (
          <Text size="sm" c="dimmed">{t('list.loading')}</Text>
        ) : items.length ? (
          <Table aria-label={t('customer.journey')} fz="xs" verticalSpacing={4} horizontalSpacing={4} data-testid="journey-history">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('customer.when')}</Table.Th>
                <Table.Th>{t('customer.contact')}</Table.Th>
                <Table.Th>{t('customer.livedWait')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((i, n) => (
                <Table.Tr key={`${i.kind}-${i.conversationId ?? i.contactId ?? n}`} bg={i.conversationId === conv.id ? 'teal.0' : undefined}>
                  <Table.Td>{fmtDateTime(i.at)}</Table.Td>
                  <Table.Td>
                    <Stack gap={2}>
                      <ChannelBadge channel={i.channel} />
                      <Text size="xs">
                        {t(`customer.kind.${i.kind}`)}
                        {i.number ? ` #${i.number}` : ''}
                        {i.queue ? ` · ${i.queue.name}` : ''}
                      </Text>
                      {i.outcome && <Text size="xs" c="dimmed">{t(`outcome.${i.outcome}`, { defaultValue: i.outcome })}</Text>}
                    </Stack>
                  </Table.Td>
                  <Table.Td>{i.livedWaitSeconds === null ? (i.outcome === 'waiting' ? t('customer.stillWaiting') : '–') : fmtDuration(i.livedWaitSeconds)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : (
          <Text size="sm" c="dimmed">–</Text>
        )}
      </Paper>
    </Stack>
  );
}
