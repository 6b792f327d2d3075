import { Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export default function InboxPage() {
  const { t } = useTranslation('inbox');
  return <Title order={1} size="h3">{t('title')}</Title>;
}
