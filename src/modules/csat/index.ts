

// The survey follows "solved": conversations tells this module through its hook, in the solving transaction. Registered
// when this module is loaded, which every process that solves conversations does (app.ts and the CLI load the features).

/** What other modules use: conversations' satisfaction (leaders), and the survey inside the chat widget (chat). */
export { satisfactionFor, type Satisfaction } from './satisfaction.js';
export { surveyInChat } from './sending.js';
export { answerChat, chatPrompt, recordRating } from './answers.js';
