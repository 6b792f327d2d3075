/** The knowledge module (issue 7): see docs/knowledge.md. */
import type { EarshotModule } from '../module.js';
import routes from './knowledge.routes.js';
import pages from './knowledge.pages.js';
import { seedKnowledge } from './knowledge.demo.js';

const module: EarshotModule = {
  name: 'knowledge',
  tables: ['kb_articles', 'kb_translations'],
  routes,
  pages,
  demo: seedKnowledge,
};
export default module;
