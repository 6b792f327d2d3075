/**
 * Simulation of one queue (discrete events) and the Erlang C / Erlang A formulas: `earshot simulate`, `earshot
 * staffing` (src/cli/simulate.ts) and the demo's phone history. Pure functions: no routes, no tables.
 */
import type { EarshotModule } from '../module.js';

const module: EarshotModule = { name: 'simulate', tables: [] };
export default module;
