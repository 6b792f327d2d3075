/**
 * The mark of a conversation in which a customer threatened staff (listening found a threat): a red badge whose
 * accessible name says what it is ("Threat against staff"). Compact in the inbox row, spelled out in the conversation
 * header. Renders nothing for other conversations, so a row can include it unconditionally.
 */
import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function ThreatMark({ threat, full }: { threat?: boolean | null; full?: boolean }) {
  const { t } = useTranslation('inbox');
  if (!threat) return null;
  const name = t('threat.name');
  return (
    <Badge
      role="img"
      aria-label={name}
      title={name}
      data-testid="threat-mark"
      size={full ? 'md' : 'xs'}
      color="red.9"
      variant="filled"
      leftSection={<span aria-hidden="true">⚠</span>}
      mr={full ? 0 : 6}
      tt={full ? 'none' : undefined}
      style={{ verticalAlign: 'middle', flexShrink: 0 }}
    >
      {full ? name : t('threat.short')}
    </Badge>
  );
}
