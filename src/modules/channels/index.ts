

export { deliverReply, replySubject } from './deliver.js';
export { combine, type ModulePart } from './combine.js';

