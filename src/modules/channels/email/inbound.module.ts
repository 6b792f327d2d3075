import type { ChannelModule } from '../module.js';

/** The inbound part of the email channel. */
const module: ChannelModule = {};
export default module;
