

export { createArticleTx } from './knowledge.service.js';
export { portalHelpLinks } from './knowledge.pages.js';

