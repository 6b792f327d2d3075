/**
 * What the channels share (the files directly in this folder; each channel in its own folder is a module of its own):
 * delivery of agent replies to the customer's channel (deliver.ts) and `combine` for a module made of parts (module.ts).
 * Every channel writes the contact events of docs/metrics.md, so lived waits cover all of them.
 */
import type { EarshotModule } from '../module.js';

const module: EarshotModule = { name: 'channels', tables: [] };
export default module;
