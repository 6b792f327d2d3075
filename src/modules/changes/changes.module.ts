/** The write ending every service uses (see record-change.ts). Owns no table: it writes through events, audit, webhooks. */
import type { EarshotModule } from '../module.js';

const module: EarshotModule = { name: 'changes', tables: [] };
export default module;
