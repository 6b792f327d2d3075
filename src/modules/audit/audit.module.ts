/** The audit log: who changed what, when (written by every module through `audit`, read by admins). */
import type { EarshotModule } from '../module.js';
import routes from './audit.routes.js';

const module: EarshotModule = { name: 'audit', tables: ['audit_log'], routes };
export default module;
