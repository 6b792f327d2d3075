

export { acceptForms, errorBox, esc, page, publicLimits, sameOrigin, sendHtml, type Form } from './html.js';
export { localeOf } from './texts.js';
export { publicAccount, type PublicAccount } from './web.service.js';
export { csrfOk, csrfToken, PORTAL_COOKIE, SESSION_TTL_MS, sessionCustomer } from './portal.service.js';

export { AccountIdParams } from './page.schemas.js';
export { AccountParams } from './page.schemas.js';
export { FormBody } from './page.schemas.js';
export { HtmlAnswer } from './page.schemas.js';
export { PageQuery } from './page.schemas.js';
export { SeeOther } from './page.schemas.js';
