/**
 * Customer satisfaction (issue 7): one-question surveys after solved, joined to journeys.
 *
 * One answer store: `conversation_ratings` (migration 0008) holds the answer of a conversation whether it came from the
 * portal's rating form, the emailed survey page or the chat widget, so a customer is never asked twice and every report
 * reads one table. `csat_surveys` records what was sent (route, language, reminder, expiry). Journeys are stitched at
 * query time from contact_facts (the same CTE as the waits reports), so a late contact event changes the join too.
 * One file per use case; this file gathers them for the routes and pages, and index.ts is what other modules import.
 */
export { type Satisfaction, satisfactionFor } from './satisfaction.js';
export { type CsatSettings, getSettings, updateSettings } from './settings.js';
export { runSurvey, surveyInChat, runReminder } from './sending.js';
export { MAX_COMMENT, type SurveyView, SurveyError, surveyPage, answerSurvey, type ChatPrompt, chatPrompt, answerChat, conversationState } from './answers.js';
export { type ReportFilter, report, BUCKETS, points } from './reports.js';
