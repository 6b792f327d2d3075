/** Queues and SLA policies: where conversations wait, who picks them up, which clock runs on them. */
import type { EarshotModule } from '../module.js';
import routes from './queues.routes.js';

const module: EarshotModule = { name: 'queues', tables: ['sla_policies', 'queues'], routes };
export default module;
