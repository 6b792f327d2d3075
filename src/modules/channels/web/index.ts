

export { acceptForms, errorBox, esc, page, publicLimits, sameOrigin, sendHtml, type Form } from './html.js';
export { localeOf } from './texts.js';
export { baseUrl, publicAccount, type PublicAccount } from './web.service.js';
export { csrfOk, csrfToken, PORTAL_COOKIE, SESSION_TTL_MS, sessionCustomer } from './portal.service.js';

