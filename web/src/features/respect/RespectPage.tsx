/** The respect screen (issue 7). */
import { Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export default function RespectPage() {
  const { t } = useTranslation('respect');
  return <Title order={2}>{t('title')}</Title>;
}
