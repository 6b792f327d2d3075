import { Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Shown to roles without the reports capability (agents) who open a dashboard's address directly. */
export function NotAllowed() {
  const { t } = useTranslation('dashboard');
  return (
    <Stack gap="xs">
      <Title order={1} size="h3">{t('forbidden.title')}</Title>
      <Text>{t('forbidden.text')}</Text>
    </Stack>
  );
}
