/**
 * Journeys: contact events projected into journeys (a caller's attempts joined up), the waits customers lived
 * through versus the figures reported, the live wall, imports of call logs (queue_log, Seelab, CSV, events JSONL).
 */
import { onContactEvents } from '../events/index.js';
import type { EarshotModule } from '../module.js';
import routes from './journeys.routes.js';
import { projectContacts } from './projection.js';

// Contact facts are kept in the transaction that appends the events (events.appendEvents calls the projection).
onContactEvents(projectContacts);

const module: EarshotModule = { name: 'journeys', tables: ['contact_facts', 'wait_sketch_dirty', 'wait_sketches'], routes };
export default module;
