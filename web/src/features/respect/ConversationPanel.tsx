/** The respect panel beside a conversation (issue 7); rendered by features/extras.tsx. Returns null when it has nothing to show. */
import type { Conversation } from '../inbox/api';

export function ConversationPanel(_props: { conv: Conversation }) {
  return null;
}
