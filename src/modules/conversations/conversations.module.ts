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

// For other modules: listening, the channels, customers.

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
