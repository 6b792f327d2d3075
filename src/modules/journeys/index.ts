/**
 * Journeys: contact events projected into journeys (a caller's attempts joined up), the waits customers lived
 * through versus the figures reported, the live wall, imports of call logs (queue_log, Seelab, CSV, events JSONL).
 */
import type { EarshotModule } from '../module.js';
import routes from './journeys.routes.js';

export { recompute, waitsReport } from './journeys.service.js';
export { GROUP_BY, journeysCte, type WaitsFigures, type WaitsReport } from './metrics.js';
export { CONTACT_VOCABULARY, DAY_WINDOW_CHANNELS, projectContacts } from './projection.js';
export { importParsedEvents, type ImportSummary } from './import/import.service.js';
export { parseLines, readLines } from './import/lines.js';
export { makeParser, type Format } from './import/parsers.js';
export { cleanIdentity, QueueLogParser, uniqueidEpoch } from './import/queue-log.js';
export type { ParsedEvent } from './import/types.js';

const module: EarshotModule = { name: 'journeys', tables: ['contact_facts', 'wait_sketch_dirty', 'wait_sketches'], routes };
export default module;
