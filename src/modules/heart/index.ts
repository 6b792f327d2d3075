

/** What other modules use: the moments feed (the leaders' digest). */
export { listMoments, type MomentSummary } from './moments.js';
