/**
 * Respect both ways (issue 7): graduated measures against abuse of staff; criticism protected. See docs/respect.md.
 * One file per use case; this file gathers them for the routes, pages and demo, and index.ts is what other modules
 * import.
 */
export { type MeasureKind, type ActiveMeasure, activeMeasures, channelAllowed, refuseIfBlocked } from './channel-checks.js';
export { MEASURE_KINDS, REASON_CATEGORIES, type ReasonCategory, MEASURE_STATUSES, RESTRICTABLE_CHANNELS, MAX_DAYS, DEFAULT_DAYS, EXPIRE_JOB, ROUTE_BANNED_JOB, type EvidenceSource, type EvidenceItem, type ProposeInput } from './shared.js';
export { type RespectSettings, getSettings, updateSettings } from './settings.js';
export { getMeasure, listMeasures } from './views.js';
export { proposeMeasure, appealUrl } from './propose.js';
export { approveMeasure, rejectMeasure, revokeMeasure, expireMeasure, SWEEP_MS, routeBanned } from './decide.js';
export { recordAppeal, measureByToken, customerAppeal, listAppeals, decideAppeal } from './appeals.js';
export { respectReport } from './report.js';
