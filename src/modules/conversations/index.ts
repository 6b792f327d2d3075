/**
 * Conversations: the inbox (messages, notes, replies, assignment, SLA clocks, merge/split, viewers). The `sla.check`
 * job re-checks a conversation's SLA deadlines.
 */
import type { EarshotModule } from '../module.js';
import routes from './conversations.routes.js';
import { checkSla } from './conversations.service.js';

export {
  addCustomerMessage,
  addNote,
  createConversation,
  getConversation,
  reply,
  updateConversation,
} from './conversations.service.js';
export type { AttachmentInput, MessageInput, Status, WriteOptions } from './conversations.service.js';

const module: EarshotModule = {
  name: 'conversations',
  tables: ['conversations', 'messages', 'attachments', 'sla_breaches', 'conversation_viewers'],
  routes,
  jobs(runner, ctx) {
    runner.on('sla.check', (payload) => checkSla(ctx, payload));
  },
};
export default module;
