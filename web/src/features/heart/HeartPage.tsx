/** The heart screen (issue 7). */
import { Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export default function HeartPage() {
  const { t } = useTranslation('heart');
  return <Title order={2}>{t('title')}</Title>;
}
