/**
 * The registry: every module, in registration order. The server (src/server/app.ts) registers their jobs, then their
 * routes under /api/v1, then their pages at the root, in this order (so the route table and the OpenAPI document keep
 * their order); the CLI (src/cli/main.ts) adds their commands and starts their listeners; the demo seeder
 * (src/demo/seed.ts) runs their `demo` after the stories. The contract is `EarshotModule` in ./module.ts; the rules
 * (public face in index.ts, table ownership, import direction) are in docs/ARCHITECTURE.md, "Modules".
 */
import type { EarshotModule } from './module.js';
import accounts from './accounts/accounts.module.js';
import audit from './audit/audit.module.js';
import changes from './changes/changes.module.js';
import conversations from './conversations/conversations.module.js';
import customers from './customers/customers.module.js';
import queues from './queues/queues.module.js';
import macros from './macros/macros.module.js';
import webhooks from './webhooks/webhooks.module.js';
import events from './events/events.module.js';
import journeys from './journeys/journeys.module.js';
import simulate from './simulate/simulate.module.js';
import channels from './channels/channels.module.js';
import email from './channels/email/email.module.js';
import chat from './channels/chat/chat.module.js';
import web from './channels/portal/portal.module.js';
import voice from './channels/voice/voice.module.js';
import listening from './listening/listening.module.js';
import probes from './probes/probes.module.js';
import leaders from './leaders/leaders.module.js';
import respect from './respect/respect.module.js';
import heart from './heart/heart.module.js';
import csat from './csat/csat.module.js';
import knowledge from './knowledge/knowledge.module.js';
import community from './community/community.module.js';

export type { DemoSeed, EarshotModule, ModuleHandle } from './module.js';

/**
 * Core first (accounts … journeys), then the channels, listening and probes, then the people features of issue 7
 * (community last: it uses respect and knowledge). Modules without routes (changes, simulate, channels) sit where
 * they read best: their place changes nothing.
 */
export const MODULES: readonly EarshotModule[] = [
  accounts,
  conversations,
  customers,
  queues,
  macros,
  webhooks,
  events,
  audit,
  changes,
  journeys,
  simulate,
  channels,
  email,
  chat,
  web,
  voice,
  listening,
  probes,
  leaders,
  respect,
  heart,
  csat,
  knowledge,
  community,
];
