/** Contact events: the append-only log of what customers lived through (docs/metrics.md), on every channel. */
import type { EarshotModule } from '../module.js';
import routes from './events.routes.js';

const module: EarshotModule = { name: 'events', tables: ['contact_events'], routes };
export default module;
