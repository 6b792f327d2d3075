/** The web channel's API: the public JSON contact endpoint (for sites with their own form) and the settings. */
import { Type } from 'typebox';
import type { App } from '../../../server/types.js';
import { who } from '../../../server/auth.js';
import { UuidOrNull } from '../../../server/schemas.js';
import { AppError, invalid } from '../../../platform/errors.js';
import type { Locale } from '../../../platform/i18n.js';
import { localeOf, t } from './texts.js';
import * as web from './contact.service.js';
import { WebSettings } from './contact.schemas.js';

const Topic = Type.Object(
  {
    key: Type.String({ minLength: 1, maxLength: 40 }),
    label: Type.Object(
      { en: Type.String({ minLength: 1, maxLength: 100 }), de: Type.Optional(Type.String({ maxLength: 100 })), nb: Type.Optional(Type.String({ maxLength: 100 })) },
      { additionalProperties: false },
    ),
    queueId: UuidOrNull(),
  },
  { additionalProperties: false },
);

export default async function webRoutes(api: App) {
  const ctx = api.ctx;
  const pub = ctx.config.publicRateLimit;

  const publicLimit = { max: Math.max(1, Math.ceil(pub / 6)), timeWindow: '1 minute' };
  const ErrorBody = Type.Object({ error: Type.Object({ code: Type.String(), message: Type.String(), field: Type.Optional(Type.String()) }, { additionalProperties: true }) });

  // The JSON endpoint has the same protections as the HTML form (web.formGuardProblem): a site with its own form
  // fetches a form token when it shows the form, sends it back with the request, and keeps the honeypot empty.
  api.get('/public/contact/:account/form', {
    config: { auth: false, rateLimit: { max: pub, timeWindow: '1 minute' } },
    schema: {
      tags: ['web'],
      summary: 'A form token for your own contact form: fetch it when the form is shown and send it back as `formToken` (no sign-in)',
      security: [],
      params: Type.Object({ account: Type.String({ description: 'account slug' }) }),
      response: {
        200: Type.Object({
          formToken: Type.String({ description: 'valid from minSeconds after it was issued, for 24 hours' }),
          minSeconds: Type.Integer({ description: 'a request sent sooner is refused (faster than a person types)' }),
          honeypot: Type.String({ description: 'the field that must stay empty' }),
        }, { additionalProperties: false, title: 'ContactFormToken' }),
        404: ErrorBody,
      },
    },
  }, async (req) => {
    const a = await web.publicAccount(ctx, req.params.account);
    return { formToken: await web.formToken(ctx, a.id, 'contact'), minSeconds: Math.ceil(web.FORM_MIN_AGE_MS / 1000), honeypot: web.HONEYPOT };
  });

  api.post('/public/contact/:account', {
    config: { auth: false, rateLimit: publicLimit },
    schema: {
      tags: ['web'],
      summary: 'Send a contact request from your own form (no sign-in; rate-limited per IP; needs a `formToken` from GET …/form, sent at least 3 s after it was issued; `website` is a honeypot and must stay empty)',
      security: [],
      params: Type.Object({ account: Type.String({ description: 'account slug' }) }),
      body: Type.Object(
        {
          name: Type.String({ maxLength: 200 }),
          email: Type.String({ maxLength: 320 }),
          subject: Type.String({ maxLength: 250 }),
          message: Type.String({ maxLength: 20_000 }),
          topic: Type.Optional(Type.String({ maxLength: 40 })),
          language: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('de'), Type.Literal('nb')])),
          formToken: Type.Optional(Type.String({ maxLength: 200, description: 'from GET /public/contact/{account}/form (required)' })),
          website: Type.Optional(Type.String({ description: 'honeypot: leave empty' })),
        },
        { additionalProperties: false },
      ),
      response: { 201: Type.Object({ number: Type.Integer({ description: 'the new conversation’s number' }) }, { additionalProperties: false, title: 'ContactCreated' }), 400: ErrorBody, 404: ErrorBody },
    },
  }, async (req, reply) => {
    const a = await web.publicAccount(ctx, req.params.account);
    const b = req.body;
    const guard = await web.formGuardProblem(ctx, a.id, 'contact', b);
    if (guard === 'err_spam')
      throw new AppError('spam', 'website: the honeypot field was filled in; the request looks automated and was not stored', 400, { field: 'website' });
    if (guard) throw invalid('formToken', t('en', guard));
    const locale: Locale = b.language ?? localeOf({ headers: req.headers }, a.locale);
    const problems = web.contactProblems(b, await web.topicsFor(ctx, a.id), 'en');
    if (problems.length) throw web.problemError(problems[0]);
    const conv = await web.submitContact(ctx, a, b, locale);
    return reply.code(201).send({ number: conv.number });
  });

  api.get('/web/settings', {
    schema: { tags: ['web'], summary: 'Contact form topics (each to a queue) and the default queue', response: { 200: WebSettings } },
  }, async (req) => web.getSettings(ctx, who(req)));

  api.put('/web/settings', {
    schema: {
      tags: ['web'],
      summary: 'Set the contact form topics and the default queue',
      body: Type.Object(
        { topics: Type.Optional(Type.Array(Topic, { maxItems: 50 })), defaultQueueId: Type.Optional(UuidOrNull()) },
        { additionalProperties: false },
      ),
      response: { 200: WebSettings },
    },
  }, async (req) => web.updateSettings(ctx, who(req), req.body));
}
