/**
 * Schemas of the server-rendered pages (contact form, portal, help, community): what they answer (HTML, a 303 to
 * the next page, a download) and the form fields they read. Form posts are parsed by `acceptForms` (html.ts) into
 * string fields, so the form schemas validate `application/x-www-form-urlencoded` only; other bodies reach the
 * handlers as before.
 */
import { Type, type TProperties } from 'typebox';

/** A rendered page; error pages (4xx) are HTML too. */
export const HtmlPage = { content: { 'text/html': { schema: Type.String({ description: 'a rendered HTML page' }) } } };
/** A redirect to the next page after a form post (post/redirect/get). */
export const SeeOther = Type.Null({ description: 'redirect (see Location) to the next page' });

export const HtmlAnswer = { 200: HtmlPage };

/** Path parameters: an account slug, and an id or slug when the page has one. */
export const AccountParams = Type.Object({ account: Type.String({ description: 'account slug' }) });
export const AccountIdParams = Type.Object({ account: Type.String({ description: 'account slug' }), id: Type.String() });

/** Query strings of the pages: the language picked with ?lang= and the page's own fields. */
export const PageQuery = (props: TProperties = {}) =>
  Type.Object({ lang: Type.Optional(Type.String({ description: 'en, de or nb (remembered in a cookie)' })), ...props });

/** A form post's fields (all text). */
export const FormBody = (fields: string[]) => ({
  content: {
    'application/x-www-form-urlencoded': {
      schema: Type.Object(Object.fromEntries(fields.map((f) => [f, Type.Optional(Type.String())]))),
    },
  },
});
