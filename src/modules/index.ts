/**
 * The registry: every module, in registration order. The server (src/server/app.ts) registers their jobs, then their
 * routes under /api/v1, then their pages at the root, in this order (so the route table and the OpenAPI document keep
 * their order); the CLI (src/cli/main.ts) adds their commands and starts their listeners; the demo seeder
 * (src/demo/seed.ts) runs their `demo` after the stories. The contract is `EarshotModule` in ./module.ts; the rules
 * (public face in index.ts, table ownership, import direction) are in docs/ARCHITECTURE.md, "Modules".
 */
import type { EarshotModule } from './module.js';
import accounts from './accounts/index.js';
import audit from './audit/index.js';
import changes from './changes/index.js';
import conversations from './conversations/index.js';
import customers from './customers/index.js';
import queues from './queues/index.js';
import macros from './macros/index.js';
import webhooks from './webhooks/index.js';
import events from './events/index.js';
import journeys from './journeys/index.js';
import simulate from './simulate/index.js';
import channels from './channels/index.js';
import email from './channels/email/index.js';
import chat from './channels/chat/index.js';
import web from './channels/web/index.js';
import voice from './channels/voice/index.js';
import listening from './listening/index.js';
import probes from './probes/index.js';
import leaders from './leaders/index.js';
import respect from './respect/index.js';
import heart from './heart/index.js';
import csat from './csat/index.js';
import knowledge from './knowledge/index.js';
import community from './community/index.js';

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
