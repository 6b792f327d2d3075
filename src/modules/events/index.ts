

export { appendEvents, CHANNELS, CONTACT_EVENT_TYPES, type ContactProjection, type NewEvent, onContactEvents } from './events.service.js';
export type { ContactEventType } from './vocabulary.js';

