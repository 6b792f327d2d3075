/** The community module (issue 7): see docs/community.md. */
import type { EarshotModule } from '../module.js';
import routes from './community.routes.js';
import pages from './community.pages.js';
import { seedCommunity } from './community.demo.js';

const module: EarshotModule = {
  name: 'community',
  tables: ['community_members', 'community_posts', 'community_votes'],
  routes,
  pages,
  demo: seedCommunity,
};
export default module;
