

export { appendEvents, CHANNELS, CONTACT_EVENT_TYPES, type NewEvent } from './events.service.js';
export type { ContactEventType } from './vocabulary.js';

