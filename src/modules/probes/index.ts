

export { registerProbeCommands, probeAdd, probeList, probeRun } from './probes.cli.js';
export { closeProbeSockets } from './probes.service.js';

