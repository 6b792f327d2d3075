/** The web channel's API: the public JSON contact endpoint (for sites with their own form) and the settings. */
import { Type } from 'typebox';
import type { App } from '../../../server/app.js';
import { who } from '../../../server/auth.js';
import { UuidOrNull } from '../../../server/schemas.js';
import { AppError } from '../../../platform/errors.js';
import type { Locale } from '../../../platform/i18n.js';
import { localeOf } from './texts.js';
import * as web from './web.service.js';

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

  api.post('/public/contact/:account', {
    config: { auth: false, rateLimit: { max: Math.max(1, Math.ceil(pub / 6)), timeWindow: '1 minute' } },
    schema: {
      tags: ['web'],
      summary: 'Send a contact request from your own form (no sign-in; rate-limited per IP; `website` is a honeypot and must stay empty)',
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
          website: Type.Optional(Type.String({ description: 'honeypot: leave empty' })),
        },
        { additionalProperties: false },
      ),
    },
  }, async (req, reply) => {
    const a = await web.publicAccount(ctx, req.params.account);
    const b = req.body;
    if (b.website) throw new AppError('spam', 'The honeypot field "website" was filled in; the request looks automated and was not stored', 400);
    const locale: Locale = b.language ?? localeOf({ headers: req.headers }, a.locale);
    const problems = web.contactProblems(b, await web.topicsFor(ctx, a.id), 'en');
    if (problems.length) throw web.problemError(problems[0]);
    const conv = await web.submitContact(ctx, a, b, locale);
    return reply.code(201).send({ number: conv.number });
  });

  api.get('/web/settings', {
    schema: { tags: ['web'], summary: 'Contact form topics (each to a queue) and the default queue' },
  }, async (req) => web.getSettings(ctx, who(req)));

  api.put('/web/settings', {
    schema: {
      tags: ['web'],
      summary: 'Set the contact form topics and the default queue',
      body: Type.Object(
        { topics: Type.Optional(Type.Array(Topic, { maxItems: 50 })), defaultQueueId: Type.Optional(UuidOrNull()) },
        { additionalProperties: false },
      ),
    },
  }, async (req) => web.updateSettings(ctx, who(req), req.body as any));
}
