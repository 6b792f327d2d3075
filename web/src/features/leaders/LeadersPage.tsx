/** The leaders screen (issue 7). */
import { Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export default function LeadersPage() {
  const { t } = useTranslation('leaders');
  return <Title order={2}>{t('title')}</Title>;
}
