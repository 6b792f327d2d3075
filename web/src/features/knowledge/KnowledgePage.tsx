/** The knowledge screen (issue 7). */
import { Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export default function KnowledgePage() {
  const { t } = useTranslation('knowledge');
  return <Title order={2}>{t('title')}</Title>;
}
