

export { createQueue, createSlaPolicy, dueAt, pickAgent, slaClockFor } from './queues.service.js';
export type { Queue, SlaClock, SlaPolicy } from './queues.service.js';

