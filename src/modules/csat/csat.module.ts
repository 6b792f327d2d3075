/**
 * The csat module (issue 7): a one-question satisfaction survey after solved, through the conversation's channel
 * (email with score links to /survey/<token>, or a prompt in the open chat widget), one reminder, answers joined to
 * journeys. See docs/csat.md.
 */
import type { EarshotModule } from '../module.js';
import routes from './csat.routes.js';
import pages from './csat.pages.js';
import { runReminder, runSurvey } from './sending.js';
import { seedDemo } from './csat.demo.js';
import { scheduleSurvey } from './schedule.js';
import { onConversationSolved } from '../conversations/index.js';

// The survey follows "solved": conversations tells this module through its hook, in the solving transaction. Registered
// when this module is loaded, which every process that solves conversations does (app.ts and the CLI load the features).
onConversationSolved((tx, _p, c) => scheduleSurvey(tx, c.accountId, c.conversationId, c.solvedAt));

const module: EarshotModule = {
  name: 'csat',
  tables: ['csat_settings', 'csat_surveys', 'conversation_ratings'],
  routes,
  pages,
  jobs(runner, ctx) {
    runner.on('csat.survey', (payload) => runSurvey(ctx, payload));
    runner.on('csat.remind', (payload) => runReminder(ctx, payload));
  },
  demo: seedDemo,
};
export default module;

/** What other modules use: conversations' satisfaction (leaders), and the survey inside the chat widget (chat). */
