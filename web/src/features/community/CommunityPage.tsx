/** The community screen (issue 7). */
import { Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export default function CommunityPage() {
  const { t } = useTranslation('community');
  return <Title order={2}>{t('title')}</Title>;
}
