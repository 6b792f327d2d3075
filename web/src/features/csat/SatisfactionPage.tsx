/** The csat screen (issue 7). */
import { Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export default function SatisfactionPage() {
  const { t } = useTranslation('csat');
  return <Title order={2}>{t('title')}</Title>;
}
