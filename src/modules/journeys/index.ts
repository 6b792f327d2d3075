

export { recompute, waitsReport } from './journeys.service.js';
export { GROUP_BY, journeysCte, type WaitsFigures, type WaitsReport } from './metrics.js';
export { CONTACT_VOCABULARY, DAY_WINDOW_CHANNELS, projectContacts } from './projection.js';
export { importParsedEvents, type ImportSummary } from './import/import.service.js';
export { parseLines, readLines } from './import/lines.js';
export { makeParser, type Format } from './import/parsers.js';
export { cleanIdentity, QueueLogParser, uniqueidEpoch } from './import/queue-log.js';
export type { ParsedEvent } from './import/types.js';

