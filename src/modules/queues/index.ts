

export { createQueue, createSlaPolicy, dueAt, ensureQueuesByName, pickAgent, setCallbackPolicy, slaClockFor } from './queues.service.js';
export type { Queue, SlaClock, SlaPolicy } from './queues.service.js';

