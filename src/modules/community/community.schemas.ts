/** Response shapes of the community routes for agents (community.service.ts). */
import { Type, } from 'typebox';
import { DateTime, Nullable } from '../../server/schemas.js';

const closed = { additionalProperties: false } as const;
const Uuid = Type.String({ format: 'uuid' });

const Member = Type.Object(
  {
    id: Uuid,
    displayName: Type.String(),
    points: Type.Integer(),
    badge: Nullable(Type.Union([Type.Literal('expert'), Type.Literal('helper'), Type.Literal('contributor')])),
  },
  { ...closed, title: 'CommunityMember' },
);

const HeldPost = Type.Object(
  {
    id: Uuid,
    kind: Type.String({ description: 'question or answer' }),
    questionId: Nullable(Uuid),
    questionTitle: Nullable(Type.String()),
    title: Nullable(Type.String()),
    body: Type.String(),
    lang: Type.String(),
    classification: Type.String({ description: 'abuse, criticism or none' }),
    threat: Type.Boolean(),
    evidence: Nullable(Type.String()),
    author: Type.String(),
    createdAt: DateTime(),
    status: Type.String(),
  },
  { ...closed, title: 'CommunityHeldPost' },
);
export const HeldList = Type.Object({ items: Type.Array(HeldPost) }, { ...closed, title: 'CommunityHeldList' });

const QuestionItem = Type.Object(
  { id: Uuid, title: Type.String(), lang: Type.String(), author: Type.String(), createdAt: DateTime(), answers: Type.Integer(), verified: Type.Boolean() },
  { ...closed, title: 'CommunityQuestionItem' },
);
const AnswerItem = Type.Object(
  {
    id: Uuid,
    body: Type.String(),
    lang: Type.String(),
    questionId: Uuid,
    questionTitle: Type.String(),
    author: Type.String(),
    helpful: Type.Integer(),
    verifiedAt: Nullable(DateTime()),
    createdAt: DateTime(),
  },
  { ...closed, title: 'CommunityAnswerItem' },
);
export const Overview = Type.Object(
  {
    held: Type.Integer({ description: 'posts waiting for a moderator' }),
    unanswered: Type.Array(QuestionItem),
    toVerify: Type.Array(AnswerItem),
    toPromote: Type.Array(AnswerItem),
    helpers: Type.Array(Member),
  },
  { ...closed, title: 'CommunityOverview' },
);

const Answer = Type.Object(
  {
    id: Uuid,
    body: Type.String(),
    lang: Type.String(),
    author: Member,
    createdAt: DateTime(),
    helpful: Type.Integer(),
    verified: Nullable(Type.Object({ by: Nullable(Type.String()), at: DateTime() }, closed)),
    articleId: Nullable(Uuid),
    status: Type.String({ description: 'visible, held or removed' }),
    mine: Type.Boolean(),
  },
  { ...closed, title: 'CommunityAnswer' },
);
export const Question = Type.Object(
  {
    id: Uuid,
    title: Type.String(),
    body: Type.String(),
    lang: Type.String(),
    author: Member,
    createdAt: DateTime(),
    status: Type.String({ description: 'visible, held or removed' }),
    mine: Type.Boolean(),
    answers: Type.Array(Answer),
  },
  { ...closed, title: 'CommunityQuestion' },
);

export const PostStatus = Type.Object({ id: Uuid, status: Type.String() }, { ...closed, title: 'CommunityPostStatus' });
export const Verified = Type.Object({ id: Uuid, verifiedAt: DateTime() }, { ...closed, title: 'CommunityVerified' });
export const Promoted = Type.Object({ articleId: Uuid }, { ...closed, title: 'CommunityPromoted' });
