

export {
  STATUSES, PRIORITIES, type Status, type Priority, type AttachmentInput, type MessageInput, type AfterWrite, type WriteOptions,
} from './shared.js';
export { createConversation, type CreateConversationInput } from './create.js';
export { getConversation, getMessage, getAttachment, type ConversationView } from './read.js';
export { listConversations, viewCounts, VIEWS, SORTS, SLA_RISK_MS, type View, type Sort, type ListFilter } from './views.js';
export { reply, addCustomerMessage, addNote, type ReplyInput } from './messages.js';
export { updateConversation, assignConversation, changeTags, type ConversationPatch } from './update.js';
export { mergeConversations, splitConversation } from './merge.js';
export { listViewers, setViewing } from './viewers.js';
export { renderMacroFor, applyMacro } from './macros.js';
export { checkSla } from './sla.js';
// For other modules: listening, the channels, customers.
export { addSystemNote, raisePriority, tagConversation, reopenFromChannel, recordChannelOutcome, type PriorityRaise } from './entry-points.js';
export { onConversationSolved, type SolvedConversation, type SolvedHandler } from './hooks.js';

// A customer merge moves the customer's conversations; customers cannot import this module (it imports customers).

