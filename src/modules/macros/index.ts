/** Macros: canned replies with placeholders and actions. */
import type { EarshotModule } from '../module.js';
import routes from './macros.routes.js';

export { createMacro, getMacro, render } from './macros.service.js';

const module: EarshotModule = { name: 'macros', tables: ['macros'], routes };
export default module;
