

export { serveEmbedScript } from './embed.js';

