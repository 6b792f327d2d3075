/** Queues and SLA policies: where conversations wait, who picks them up, which clock runs on them. */
import type { EarshotModule } from '../module.js';
import routes from './queues.routes.js';

export { createQueue, createSlaPolicy, dueAt, pickAgent, slaClockFor } from './queues.service.js';
export type { Queue, SlaClock, SlaPolicy } from './queues.service.js';

const module: EarshotModule = { name: 'queues', tables: ['sla_policies', 'queues'], routes };
export default module;
