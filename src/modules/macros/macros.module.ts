/** Macros: canned replies with placeholders and actions. */
import type { EarshotModule } from '../module.js';
import routes from './macros.routes.js';

const module: EarshotModule = { name: 'macros', tables: ['macros'], routes };
export default module;
