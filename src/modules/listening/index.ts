

export { ANALYZE_JOB, analyzeMessage } from './listening.service.js';
export { analyze } from './analyze.js';
export { anecdoteReport } from './anecdotes.js';
