/** Small shared pieces of the respect screens: evidence with its classification. */
import { Badge, Group, List, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Evidence } from './api';

export function EvidenceList({ evidence }: { evidence: Evidence[] }) {
  const { t } = useTranslation('respect');
  return (
    <List size="sm" spacing={4}>
      {evidence.map((e, i) => {
        const cls = e.threat ? 'threat' : e.abuse === 'abuse' ? 'abuse' : e.abuse === 'criticism' ? 'criticism' : 'none';
        const color = cls === 'threat' || cls === 'abuse' ? 'red.9' : cls === 'criticism' ? 'blue.9' : 'gray.8';
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: a measure's evidence is fixed when it is proposed and shown in that order; items have no id
          <List.Item key={i}>
            <Group gap={6} wrap="nowrap" align="flex-start">
              <Badge size="sm" variant="outline" color={color} tt="none" style={{ flexShrink: 0 }}>{t(`classes.${cls}`)}</Badge>
              {e.source !== 'message' && <Badge size="sm" variant="light" color="gray.8" tt="none">{t(`sources.${e.source}`)}</Badge>}
              <Text size="sm" style={{ overflowWrap: 'anywhere' }}>{e.text}</Text>
            </Group>
          </List.Item>
        );
      })}
    </List>
  );
}
