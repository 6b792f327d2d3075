/** Customers: people who write in, their identities (email, phone, chat, external) and their timeline. */
import type { EarshotModule } from '../module.js';
import routes from './customers.routes.js';

const module: EarshotModule = { name: 'customers', tables: ['customers', 'customer_identities'], routes };
export default module;
