/** Metric definitions: the current version, what each version changed, what each figure means; recompute. */
import { useState } from 'react';
import { Alert, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../lib/api';
import type { ApiOk } from '../../api/types';
import { fmtNumber } from '../../lib/format';
import { ConfirmButton, ListState, ScreenHeader, useRole, Tag } from './ui';

type Definitions = ApiOk<'/api/v1/definitions', 'get'>;
type Text3 = Definitions['figures'][number]['name'];

export function DefinitionsScreen() {
  const { t, i18n } = useTranslation('admin');
  const { manage } = useRole();
  const lang = (['en', 'de', 'nb'].includes(i18n.language) ? i18n.language : 'en') as keyof Text3;
  const defs = useQuery({ queryKey: ['admin', 'definitions'], queryFn: () => get<Definitions>('/definitions') });
  const [result, setResult] = useState<ApiOk<'/api/v1/journeys/recompute', 'post'> | null>(null);
  const d = defs.data;
  return (
    <>
      <ScreenHeader
        title={t('nav.definitions')}
        description={t('definitions.intro')}
        action={
          manage && (
            <ConfirmButton
              label={t('definitions.recompute')}
              color="teal.9"
              buttonProps={{ size: 'sm', variant: 'filled' }}
              title={t('definitions.recomputeTitle')}
              message={t('definitions.recomputeText')}
              confirmLabel={t('definitions.recompute')}
              onConfirm={async () => setResult(await post<ApiOk<'/api/v1/journeys/recompute', 'post'>>('/journeys/recompute'))}
            />
          )
        }
      />
      {result && (
        <Alert color="teal" mb="md" role="status" title={t('definitions.recomputed')}>
          {t('definitions.recomputedText', { contacts: fmtNumber(result.contacts), days: fmtNumber(result.days) })}
        </Alert>
      )}
      <ListState loading={defs.isLoading} error={defs.error} empty={false} />
      {d && (
        <Stack>
          <Group>
            <Text>{t('definitions.current')}</Text>
            <Tag size="lg" color="teal" testId="definition-version">{t('definitions.version', { n: d.current })}</Tag>
          </Group>
          <section aria-labelledby="versions-heading">
            <Title order={3} size="h5" id="versions-heading" mb="xs">{t('definitions.versions')}</Title>
            <Stack gap="xs">
              {d.versions.map((v) => (
                <Card key={v.version} withBorder padding="sm">
                  <Group gap="xs" mb={4}>
                    <Text fw={600}>{t('definitions.version', { n: v.version })}</Text>
                    {v.current && <Tag color="teal">{t('definitions.currentBadge')}</Tag>}
                  </Group>
                  <Text size="sm">{v.changes[lang]}</Text>
                </Card>
              ))}
            </Stack>
          </section>
          <section aria-labelledby="figures-heading">
            <Title order={3} size="h5" id="figures-heading" mb="xs">{t('definitions.figures')}</Title>
            <Table aria-label={t('definitions.figuresTable')} striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('definitions.figure')}</Table.Th>
                  <Table.Th>{t('definitions.meaning')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {d.figures.map((f) => (
                  <Table.Tr key={f.key}>
                    <Table.Td fw={500}>{f.name[lang]}</Table.Td>
                    <Table.Td>{f.definition[lang]}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </section>
        </Stack>
      )}
    </>
  );
}
