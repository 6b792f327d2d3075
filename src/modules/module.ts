/**
 * What a feature module exports (the channel module contract plus `demo`), and what the demo seeder hands it. Types
 * only: a module's index.ts and demo.ts import these from here, never from ./features.ts (which imports the modules).
 */
import type { Ctx } from '../platform/context.js';
import type { ChannelModule } from './channels/module.js';

/** What the demo seeder has created when it calls a feature's `demo`. */
export interface DemoSeed {
  accountId: string;
  /** user id by e-mail address (admin@, ingrid@ leader, martin@ supervisor, lena@/ola@/sam@ agents @demo.earshot.test) */
  users: Record<string, string>;
  queues: Record<'de' | 'no' | 'en', string>;
  teams: Record<'de' | 'no' | 'en', string>;
}

export interface FeatureModule extends ChannelModule {
  /** Adds this feature's demo data to the freshly created demo account (runs once, after the stories). */
  demo?: (ctx: Ctx, seed: DemoSeed) => Promise<void>;
}
