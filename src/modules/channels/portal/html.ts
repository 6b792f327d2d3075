/** Server-rendered pages: one small accessible layout, inline CSS, no script. Every value goes through `esc`. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Locale } from '../../../platform/i18n.js';
import { LOCALES } from '../../../platform/i18n.js';
import { t } from './texts.js';

export function esc(v: unknown): string {
  return String(v ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;background:#f5f6f8}
main{max-width:42rem;margin:0 auto;padding:1rem}
header{display:flex;flex-wrap:wrap;gap:.5rem;justify-content:space-between;align-items:center;padding:.75rem 1rem;background:#fff;border-bottom:1px solid #d8dce1}
header .brand{font-weight:600}
nav.lang a,nav.lang span{margin-left:.5rem}
nav.lang span{font-weight:600}
h1{font-size:1.5rem;margin:.5rem 0 1rem}
h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input[type=text],input[type=email],textarea,select{width:100%;padding:.6rem;font:inherit;border:1px solid #8a939e;border-radius:6px;background:#fff}
textarea{min-height:8rem}
input:focus,textarea:focus,select:focus,button:focus,a:focus{outline:3px solid #2b6cb0;outline-offset:2px}
button{margin-top:1rem;padding:.6rem 1.2rem;font:inherit;font-weight:600;color:#fff;background:#1f5fa8;border:0;border-radius:6px;cursor:pointer}
button.link{background:none;color:#1f5fa8;padding:0;margin:0;font-weight:400;text-decoration:underline}
a{color:#1f5fa8}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
.box{background:#fff;border:1px solid #d8dce1;border-radius:8px;padding:1rem;margin:.75rem 0}
.error{background:#fdecea;border:1px solid #e0a39d;border-radius:6px;padding:.75rem;margin:.75rem 0}
.ok{background:#e8f5ec;border:1px solid #9bcfa9;border-radius:6px;padding:.75rem;margin:.75rem 0}
.msg{background:#fff;border:1px solid #d8dce1;border-radius:8px;padding:.75rem;margin:.5rem 0}
.msg.customer{border-left:4px solid #1f5fa8}
.msg.agent{border-left:4px solid #2f855a}
.msg .meta{font-size:.85rem;color:#4a5360}
.msg .text{white-space:pre-wrap;overflow-wrap:anywhere}
ul.list{list-style:none;padding:0}
ul.list li{background:#fff;border:1px solid #d8dce1;border-radius:8px;padding:.75rem;margin:.5rem 0}
.muted{color:#4a5360;font-size:.9rem}
fieldset{border:0;padding:0;margin:0}
.scores label{display:inline-block;font-weight:400;margin-right:1rem}
`;

export interface PageOptions {
  locale: Locale;
  title: string;
  accountName: string;
  /** The path of this page without query, for the language switcher. */
  path: string;
  body: string;
  /** Extra header content (sign-out form). */
  headerExtra?: string;
  /** Default same-origin; no-referrer for pages whose URL carries a secret. Must agree with the reply's header. */
  referrer?: ReferrerPolicy;
}

export function page(o: PageOptions): string {
  const switcher = LOCALES.map((l) =>
    l === o.locale
      ? `<span aria-current="true">${esc(t(l, 'lang_name'))}</span>`
      : `<a href="${esc(o.path)}?lang=${l}" hreflang="${l}" lang="${l}">${esc(t(l, 'lang_name'))}</a>`,
  ).join('');
  return `<!doctype html>
<html lang="${o.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="${o.referrer ?? 'same-origin'}">
<title>${esc(o.title)} · ${esc(o.accountName)}</title>
<style>${CSS}</style>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
</head>
<body>
<header><span class="brand">${esc(o.accountName)}</span><nav class="lang" aria-label="${esc(t(o.locale, 'language'))}">${switcher}</nav>${o.headerExtra ?? ''}</header>
<main>
<h1>${esc(o.title)}</h1>
${o.body}
</main>
</body>
</html>`;
}

export const errorBox = (messages: string[]) =>
  messages.length ? `<div class="error" role="alert">${messages.map((m) => `<p>${esc(m)}</p>`).join('')}</div>` : '';

// ---------------------------------------------------------------------------------------------------------------
// What every plugin of public pages needs (portal and form, help, community, survey, appeal).

/** A posted form: the first value of each field. */
export type Form = Record<string, string>;

/** Parses `application/x-www-form-urlencoded` posts in this plugin into a Form (the first value of a field wins). */
export function acceptForms(app: FastifyInstance<any, any, any, any, any>, bodyLimit = 64 * 1024) {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit }, (_req, body, done) => {
    try {
      const out: Form = {};
      for (const [k, v] of new URLSearchParams(body as string)) if (!(k in out)) out[k] = v;
      done(null, out);
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}

/** Rate limits of public pages: reading at the public limit; sending forms, rarer, at a sixth of it. */
export function publicLimits(publicRateLimit: number) {
  return {
    pageLimit: { max: publicRateLimit, timeWindow: '1 minute' },
    postLimit: { max: Math.max(1, Math.ceil(publicRateLimit / 6)), timeWindow: '1 minute' },
  };
}

/**
 * Sends a rendered page: HTML, never cached (it may carry a session's or a token's content), with the page's referrer
 * policy (read back from its meta tag, so header and tag cannot disagree; helmet's default would be no-referrer).
 */
export const sendHtml = (reply: FastifyReply, body: string, status = 200) => {
  const policy = /<meta name="referrer" content="([a-z-]+)">/.exec(body)?.[1];
  if (policy) reply.header('referrer-policy', policy);
  return reply.code(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
};

/**
 * Cross-site form posts are refused (cookies alone are not proof of intent). A browser says where a request comes from
 * in `Sec-Fetch-Site`: `same-origin` (a page of this site) and `none` (the person typed or bookmarked it) pass;
 * `same-site` (a sibling host) and `cross-site` are refused. An `Origin` naming another host is refused whatever else
 * is sent. `Origin: null` (a page whose referrer policy is no-referrer, a sandboxed frame) passes only when the browser
 * vouches with Sec-Fetch-Site; a client that sends neither header (curl, a server-side integration) is not a browser a
 * foreign page could steer, and passes — the forms' signed tokens and the portal's session token still apply.
 */
export function sameOrigin(req: FastifyRequest): boolean {
  const site = String(req.headers['sec-fetch-site'] ?? '').toLowerCase();
  if (site && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.headers.origin;
  if (!origin) return true;
  if (origin === 'null') return !!site;
  try {
    // Both through URL, so a default port written out ("localhost:80") compares equal to one left out.
    const o = new URL(origin);
    return o.host === new URL(`${o.protocol}//${req.headers.host ?? ''}`).host;
  } catch {
    return false;
  }
}

/**
 * The referrer policy of the public pages: `same-origin`, so a browser sends this site its Origin on form posts (with
 * `no-referrer` Chromium sends `Origin: null`) and sends other sites nothing. Pages whose URL carries a secret (the
 * portal's sign-in link, a survey's token) use `no-referrer`.
 */
export type ReferrerPolicy = 'same-origin' | 'no-referrer';
