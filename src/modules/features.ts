/**
 * The people side of the seed stories (issue 7), one module each:
 *   leaders    daily sample of real requests for leaders, prepared by the team; cap, absences, deputy; morning digest
 *   respect    graduated measures against abuse of staff, four-eyes approval, criticism protected, appeals, expiry
 *   heart      exceptions and goodwill budgets with approval thresholds; moments worth sharing and kudos
 *   csat       one-question satisfaction survey after solved, through the conversation's channel; joined to journeys
 *   knowledge  knowledge-base articles in en/de/nb with full-text search; shown in portal and widget; insert in replies
 *   community  a public community where customers answer each other; agents verify; verified answers become articles
 * Each exports a default `FeatureModule` (the channel module contract plus `demo`), looped over by the server
 * (routes under /api/v1, root pages, jobs, listeners), the CLI and the demo seeder.
 */
import type { DemoSeed, FeatureModule } from './module.js';
import leaders from './leaders/index.js';
import respect from './respect/index.js';
import heart from './heart/index.js';
import csat from './csat/index.js';
import knowledge from './knowledge/index.js';
import community from './community/index.js';

export type { DemoSeed, FeatureModule };

/** In this order: later ones may call earlier ones' services (community uses respect and knowledge). */
export const FEATURE_MODULES: Record<string, FeatureModule> = { leaders, respect, heart, csat, knowledge, community };
