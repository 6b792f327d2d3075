/** The community module (issue 7): see src/modules/features.ts and docs/community.md. */
import type { FeatureModule } from '../module.js';
import routes from './community.routes.js';
import pages from './pages.js';
import { seedCommunity } from './demo.js';

const module: FeatureModule = { routes, pages, demo: seedCommunity };
export default module;
