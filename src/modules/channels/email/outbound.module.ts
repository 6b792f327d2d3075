import type { ChannelModule } from '../module.js';

/** The outbound part of the email channel. */
const module: ChannelModule = {};
export default module;
