-- Crowd service (issue 7): a public community where signed-in customers (portal sessions) ask and answer. Every
-- post is analysed on arrival; abuse and threats wait for a moderator, criticism never does. Agents verify answers;
-- a verified answer can become a knowledge-base article.
CREATE TABLE community_members (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 2 AND 40),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, customer_id),
  UNIQUE (account_id, display_name)
);

-- Questions (kind 'question', with a title) and answers (kind 'answer', with question_id) in one table, so one
-- moderation queue and one set of rules covers both.
CREATE TABLE community_posts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('question', 'answer')),
  question_id uuid REFERENCES community_posts(id) ON DELETE CASCADE,
  member_id uuid NOT NULL REFERENCES community_members(id) ON DELETE CASCADE,
  title text,
  body text NOT NULL,
  -- the language analyze() found (en, de, nb, other or 'und')
  lang text NOT NULL,
  -- what analyze() said: abuse | criticism | none, a threat, and the evidence
  classification text NOT NULL CHECK (classification IN ('abuse', 'criticism', 'none')),
  threat boolean NOT NULL DEFAULT false,
  evidence text,
  -- visible: shown; held: waits for a moderator (abuse, threats); removed: a moderator took it down (with a reason)
  status text NOT NULL CHECK (status IN ('visible', 'held', 'removed')),
  moderated_by uuid,
  moderated_at timestamptz,
  moderation_reason text,
  verified_by uuid,
  verified_at timestamptz,
  article_id uuid REFERENCES kb_articles(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  search tsvector GENERATED ALWAYS AS (
    to_tsvector('english', coalesce(title, '') || ' ' || body) || to_tsvector('german', coalesce(title, '') || ' ' || body)
    || to_tsvector('norwegian', coalesce(title, '') || ' ' || body) || to_tsvector('simple', coalesce(title, '') || ' ' || body)
  ) STORED,
  CHECK ((kind = 'question') = (question_id IS NULL)),
  CHECK (kind = 'answer' OR title IS NOT NULL)
);
CREATE INDEX community_posts_list ON community_posts (account_id, kind, status, created_at DESC);
CREATE INDEX community_posts_question ON community_posts (question_id, created_at);
CREATE INDEX community_posts_search ON community_posts USING gin (search);

-- "This helped": one per member per answer, never on one's own answer.
CREATE TABLE community_votes (
  answer_id uuid NOT NULL REFERENCES community_posts(id) ON DELETE CASCADE,
  member_id uuid NOT NULL REFERENCES community_members(id) ON DELETE CASCADE,
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (answer_id, member_id)
);
