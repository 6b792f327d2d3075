

export { customerTimeline, findOrCreateCustomer, normaliseIdentity, markEmailBounced, onCustomersMerged } from './customers.service.js';
export type { CustomerInput, IdentityKind } from './customers.service.js';

