/**
 * The csat module (issue 7): a one-question satisfaction survey after solved, through the conversation's channel
 * (email with score links to /survey/<token>, or a prompt in the open chat widget), one reminder, answers joined to
 * journeys. See docs/csat.md.
 */
import type { EarshotModule } from '../module.js';
import routes from './csat.routes.js';
import pages from './csat.pages.js';
import { runReminder, runSurvey } from './csat.service.js';
import { seedDemo } from './csat.demo.js';

export { answerChat, chatPrompt, satisfactionFor, scheduleSurvey, surveyInChat, type Satisfaction } from './csat.service.js';

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
