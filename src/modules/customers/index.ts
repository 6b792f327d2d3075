/** Customers: people who write in, their identities (email, phone, chat, external) and their timeline. */
import type { EarshotModule } from '../module.js';
import routes from './customers.routes.js';

export { customerTimeline, findOrCreateCustomer, normaliseIdentity, markEmailBounced, onCustomersMerged } from './customers.service.js';
export type { CustomerInput, IdentityKind } from './customers.service.js';

const module: EarshotModule = { name: 'customers', tables: ['customers', 'customer_identities'], routes };
export default module;
