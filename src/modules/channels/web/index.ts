/**
 * The web channel: a public contact form (/contact/:account, and POST /api/v1/public/contact/:account for sites with
 * their own form) and the customer portal (/portal/:account) with magic-link sign-in. See docs/channels-web.md.
 */
export { default as routes } from './routes.js';
export { default as pages } from './pages.js';
