/** The knowledge module (issue 7): see src/modules/features.ts and docs/knowledge.md. */
import type { FeatureModule } from '../module.js';
import routes from './knowledge.routes.js';
import pages from './pages.js';
import { seedKnowledge } from './demo.js';

const module: FeatureModule = { routes, pages, demo: seedKnowledge };
export default module;
