

export { agentsNeeded, expectedFigures, queueMetrics, type ContactFigures, type QueueInput } from './erlang.js';
export { contactsToEvents, simulate, type SimulatedContact, type SimulationOptions } from './simulate.js';
export { parseDist, rng } from './random.js';

