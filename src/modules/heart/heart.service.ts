/**
 * Service with heart (issue 7): goodwill budgets and spends with approval, documented exceptions to policy, moments
 * worth sharing (with the customer's consent recorded) and kudos, and why listening raised a conversation's priority.
 * See docs/heart.md for the rules. One file per use case; this file gathers them for the routes and the demo, and
 * index.ts is what other modules import.
 */
export { formatMoney } from './shared.js';
export { KINDS, type Kind, type HeartSettings, getSettings, updateSettings, monthStart, setBudget } from './budgets.js';
export { type Spend, type SpendInput, spendGoodwill, notifyApprovers, decideSpend, listSpends } from './goodwill.js';
export { type PolicyException, recordException, listExceptions } from './exceptions.js';
export { report } from './report.js';
export { type MomentSummary, type FeedMoment, listMoments, feed, CONSENT_HOW, anonymise, type MomentInput, type Moment, captureMoment, listConversationMoments, withdrawConsent, giveKudos } from './moments.js';
export { type UrgencyReason, urgencyReasons, conversationHeart } from './conversation-panel.js';
