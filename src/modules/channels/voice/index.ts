

export { ingestCti } from './cti.js';
