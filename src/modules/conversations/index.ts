/**
 * The conversations module's public face: what other modules, the server, the CLI and the demo may use. The use cases
 * live in their own files (create, read, views, messages, update, merge, viewers, macros, sla, entry-points); shared.ts,
 * message-store.ts and status.ts are internal. Other modules change conversations only through these functions.
 */
import type { EarshotModule } from '../module.js';
import { onCustomersMerged } from '../customers/index.js';
import routes from './conversations.routes.js';
import { moveCustomerConversations } from './entry-points.js';
import { checkSla } from './sla.js';

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
onCustomersMerged(moveCustomerConversations);

const module: EarshotModule = {
  name: 'conversations',
  tables: ['conversations', 'messages', 'attachments', 'sla_breaches', 'conversation_viewers'],
  routes,
  jobs(runner, ctx) {
    runner.on('sla.check', (payload) => checkSla(ctx, payload));
  },
};
export default module;
