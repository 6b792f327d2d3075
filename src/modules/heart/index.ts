/** The heart module (issue 7): see src/modules/features.ts and docs/heart.md. */
import type { FeatureModule } from '../features.js';
import heartRoutes from './heart.routes.js';
import { heartDemo } from './heart.demo.js';

const module: FeatureModule = { routes: heartRoutes, demo: heartDemo };
export default module;
