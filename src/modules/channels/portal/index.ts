

export { acceptForms, errorBox, esc, page, publicLimits, sameOrigin, sendHtml, type Form } from './html.js';
export { localeOf } from './texts.js';
export { publicAccount, type PublicAccount } from './contact.service.js';
export { csrfOk, csrfToken, PORTAL_COOKIE, SESSION_TTL_MS, sessionCustomer } from './portal.service.js';

export { AccountIdParams } from './pages.schemas.js';
export { AccountParams } from './pages.schemas.js';
export { FormBody } from './pages.schemas.js';
export { HtmlAnswer } from './pages.schemas.js';
export { PageQuery } from './pages.schemas.js';
export { SeeOther } from './pages.schemas.js';
