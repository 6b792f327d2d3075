

/** What other modules use: the measures in force and the channels' checks. */
export { activeMeasures, channelAllowed, refuseIfBlocked } from './channel-checks.js';
