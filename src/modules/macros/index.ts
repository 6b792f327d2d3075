

export { createMacro, getMacro, render } from './macros.service.js';

