/** The voice channel: see ../index.ts for what a channel module exports. */
export {};
