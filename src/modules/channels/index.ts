

export { deliverReply, replySubject } from './deliver.js';
export { combine, type ModulePart } from './module.js';

