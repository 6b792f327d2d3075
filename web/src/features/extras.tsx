/**
 * What the people-side features (issue 7) show beside a conversation, under the customer sidebar: the leaders'
 * sample (prepare / answer / hand back), respect measures, goodwill and moments, satisfaction. Each panel lives in
 * its feature folder and returns null when it has nothing to show.
 */
import { Stack } from '@mantine/core';
import type { Conversation } from './inbox/api';
import { ConversationPanel as Leaders } from './leaders/ConversationPanel';
import { ConversationPanel as Respect } from './respect/ConversationPanel';
import { ConversationPanel as Heart } from './heart/ConversationPanel';
import { ConversationPanel as Csat } from './csat/ConversationPanel';

export function ConversationExtras({ conv }: { conv: Conversation }) {
  return (
    <Stack gap="sm" mt="sm">
      <Leaders conv={conv} />
      <Respect conv={conv} />
      <Heart conv={conv} />
      <Csat conv={conv} />
    </Stack>
  );
}
