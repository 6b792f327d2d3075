

export { domainOf, enqueueEmail, formatAddress, holdQueuedEmails, newMessageId, recordOutboundMessageId, senderMailbox } from './outbound.js';
export { createMailbox, findRecipient } from './mailboxes.service.js';
export { claimDomain } from './domains.service.js';

