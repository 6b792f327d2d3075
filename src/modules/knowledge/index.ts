/** The knowledge module (issue 7): see src/modules/features.ts. */
import type { FeatureModule } from '../features.js';

const module: FeatureModule = {};
export default module;
