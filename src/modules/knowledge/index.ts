

export { createArticleTx } from './knowledge.service.js';
export { portalHelpLinks } from './pages.js';

