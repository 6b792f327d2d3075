/** The contact-event vocabulary every channel writes (journeys issue; definitions in docs/metrics.md). */
export const CONTACT_EVENT_TYPES = [
  'contact.arrived', // first touch: dial or voice-menu entry, chat opened, email received, form sent
  'ivr.entered',
  'ivr.left',
  'queue.entered',
  'agent.offered',
  'contact.answered', // a human connected, or the first human reply
  'contact.abandoned', // hang-up, chat left
  'contact.transferred',
  'callback.requested',
  'callback.made',
  'reply.human',
  'reply.automatic', // never counts as human
  'contact.resolved',
  'contact.reopened',
] as const;
export type ContactEventType = (typeof CONTACT_EVENT_TYPES)[number];
