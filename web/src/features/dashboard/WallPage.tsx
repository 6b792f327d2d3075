import { Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export default function WallPage() {
  const { t } = useTranslation('dashboard');
  return <Title order={1} size="h3">{t('title')}</Title>;
}
