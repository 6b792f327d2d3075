/**
 * Request and response schemas of the accounts routes (sign-in, users, teams, API tokens, the account). The response
 * schemas list every field the services return: Fastify serializes with them, so a field left out here is dropped.
 */
import { Type, } from 'typebox';
import { Locale, Role, DateTime, Nullable } from '../../server/schemas.js';

const Id = Type.String({ format: 'uuid' });
/**
 * A date-time in an answer. The services hand over Date objects, which the serializer writes as ISO strings; the
 * OpenAPI document (and so the web app's types) says string.
 */
const closed = { additionalProperties: false } as const;

export const Presence = Type.Union([Type.Literal('available'), Type.Literal('busy'), Type.Literal('away'), Type.Literal('offline')]);
/** Who is behind a request: a signed-in user, an API token, the job runner, or the operator's command line. */
const PrincipalKind = Type.Union([Type.Literal('user'), Type.Literal('token'), Type.Literal('system'), Type.Literal('cli')]);

export const Account = Type.Object({
  id: Id,
  slug: Type.String(),
  name: Type.String(),
  timezone: Type.String(),
  locale: Locale,
  currency: Type.String(),
  createdAt: DateTime(),
}, { ...closed, title: 'Account' });

export const User = Type.Object({
  id: Id,
  email: Type.String(),
  name: Type.String(),
  role: Role,
  locale: Locale,
  timezone: Nullable(Type.String()),
  presence: Presence,
  capacity: Type.Integer(),
  disabled: Type.Boolean(),
  passwordSet: Type.Boolean({ description: 'false until the user set a password (an invited user who has not followed the link yet)' }),
  invitedUntil: Type.Union([DateTime(), Type.Null()], { description: 'until when the open invitation link works (null: none open)' }),
  createdAt: DateTime(),
}, { ...closed, title: 'User' });

export const Team = Type.Object({
  id: Id,
  name: Type.String(),
  createdAt: DateTime(),
  memberIds: Type.Array(Id),
}, { ...closed, title: 'Team' });

export const UserList = Type.Object({ items: Type.Array(User) }, { ...closed, title: 'UserList' });
export const TeamList = Type.Object({ items: Type.Array(Team) }, { ...closed, title: 'TeamList' });

// ---------------------------------------------------------------- sign-in

export const LoginBody = Type.Object({
  email: Type.String({ minLength: 3, maxLength: 320 }),
  password: Type.String({ minLength: 1, maxLength: 1000 }),
  account: Type.Optional(Type.String({ description: 'account slug, when the email is in several accounts' })),
}, closed);
export const LoginOut = Type.Object({ user: User, account: Account, expiresAt: DateTime() }, { ...closed, title: 'Login' });
export const Ok = Type.Object({ ok: Type.Literal(true) }, { ...closed, title: 'Ok' });

/** GET /me: the caller. `user` is null for an API token. */
export const Me = Type.Object({
  role: Role,
  kind: PrincipalKind,
  user: Nullable(User),
  account: Account,
}, { ...closed, title: 'Me' });
const SignedIn = Type.Object({
  signedIn: Type.Literal(true),
  role: Role,
  kind: PrincipalKind,
  user: Nullable(User),
  account: Account,
}, { ...closed, title: 'SignedIn' });
const SignedOut = Type.Object({ signedIn: Type.Literal(false) }, { ...closed, title: 'SignedOut' });
export const Session = Type.Union([SignedIn, SignedOut], { title: 'Session' });

export const PresenceBody = Type.Object({ presence: Presence });
export const LocaleBody = Type.Object({ locale: Locale }, closed);

// ---------------------------------------------------------------- invitations and password links

export const Token = Type.String({ minLength: 1, maxLength: 200, description: 'the token from the emailed link (#token=…)' });
export const ForgotBody = Type.Object({ email: Type.String({ minLength: 3, maxLength: 320 }) }, closed);
export const CheckBody = Type.Object({ token: Token }, closed);
export const SetPasswordBody = Type.Object({ token: Token, password: Type.String({ minLength: 10, maxLength: 1000 }) }, closed);
const LinkPurpose = Type.Union([Type.Literal('invite'), Type.Literal('reset')]);
/** What a link is for; who it is for only while it is valid. */
export const LinkCheck = Type.Object({
  state: Type.Union([Type.Literal('valid'), Type.Literal('used'), Type.Literal('expired'), Type.Literal('unknown')]),
  purpose: Type.Optional(LinkPurpose),
  email: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  account: Type.Optional(Type.String({ description: 'the account’s name' })),
  locale: Type.Optional(Locale),
  expiresAt: Type.Optional(DateTime()),
}, { ...closed, title: 'PasswordLinkCheck' });
export const PasswordSet = Type.Object({ ok: Type.Literal(true), email: Type.String() }, { ...closed, title: 'PasswordSet' });
export const Invitation = Type.Object({ userId: Id, email: Type.String(), expiresAt: DateTime() }, { ...closed, title: 'Invitation' });

// ---------------------------------------------------------------- account, users, teams

export const AccountPatch = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1 })),
  timezone: Type.Optional(Type.String()),
  locale: Type.Optional(Locale),
  currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
}, closed);

export const UserBody = Type.Object({
  email: Type.String({ format: 'email' }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  role: Role,
  password: Type.Optional(Type.String({ minLength: 10, maxLength: 1000 })),
  locale: Type.Optional(Locale),
  timezone: Type.Optional(Type.String()),
  capacity: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
  invite: Type.Optional(Type.Boolean({ description: 'without a password: email an invitation link (default true)' })),
}, closed);
export const UserPatch = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1 })),
  role: Type.Optional(Role),
  capacity: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
  disabled: Type.Optional(Type.Boolean()),
  password: Type.Optional(Type.String({ minLength: 10, maxLength: 1000 })),
  locale: Type.Optional(Locale),
}, closed);

export const TeamBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), memberIds: Type.Optional(Type.Array(Type.String())) }, closed);
export const MembersBody = Type.Object({ memberIds: Type.Array(Type.String()) }, closed);

// ---------------------------------------------------------------- API tokens

export const TokenBody = Type.Object({ role: Role, name: Type.Optional(Type.String({ maxLength: 200 })) }, closed);
export const ApiToken = Type.Object({
  id: Id,
  name: Type.String(),
  role: Role,
  prefix: Type.String({ description: 'the secret’s first characters, to recognise it' }),
  createdAt: DateTime(),
  lastUsedAt: Nullable(DateTime()),
  revokedAt: Nullable(DateTime()),
  createdBy: Type.Union([Type.Object({ id: Id, name: Type.String() }, { ...closed, title: 'TokenCreator' }), Type.Null()], {
    description: 'who created the token; the token never has more rights than this user now (null: the operator, earshot token create)',
  }),
}, { ...closed, title: 'ApiToken' });
export const ApiTokenList = Type.Object({ items: Type.Array(ApiToken) }, { ...closed, title: 'ApiTokenList' });
/** The answer to creating a token: the only time the secret is shown. */
export const NewApiToken = Type.Object({
  id: Id,
  token: Type.String({ description: 'the secret (es_…); shown once' }),
  role: Role,
  name: Type.String(),
  createdAt: DateTime(),
}, { ...closed, title: 'NewApiToken' });
