-- Satisfaction (issue 7): a one-question survey (score 1–5 and a comment) after a conversation is solved, through the
-- conversation's channel. Answers live in ONE store, conversation_ratings (migration 0008), whether they come from the
-- portal, the emailed survey page or the chat widget, so a customer is never asked twice and every report reads one
-- table. Journeys are joined at query time (like the waits reports), never copied.

-- Per-account settings. `questions` overrides the default question per language ({"de": "…"}); `secret` signs the
-- survey links (HMAC) and is never shown.
CREATE TABLE csat_settings (
  account_id uuid PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
  enabled boolean NOT NULL DEFAULT true,
  delay_minutes integer NOT NULL DEFAULT 10 CHECK (delay_minutes BETWEEN 0 AND 10080),
  reminder_days integer NOT NULL DEFAULT 3 CHECK (reminder_days BETWEEN 0 AND 29),
  expiry_days integer NOT NULL DEFAULT 30 CHECK (expiry_days BETWEEN 1 AND 365),
  questions jsonb NOT NULL DEFAULT '{}',
  secret text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- At most one survey per conversation. route: 'email' (a mail with five score links), 'chat' (a prompt in the open
-- widget), 'no_route' (phone, or no address: nothing sent, recorded so the response rate counts it apart).
CREATE TABLE csat_surveys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  conversation_id uuid NOT NULL UNIQUE REFERENCES conversations(id) ON DELETE CASCADE,
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  customer_id uuid NOT NULL REFERENCES customers(id),
  route text NOT NULL CHECK (route IN ('email', 'chat', 'no_route')),
  language text NOT NULL CHECK (language IN ('en', 'de', 'nb')),
  email text,
  question text NOT NULL,
  sent_at timestamptz NOT NULL,
  reminded_at timestamptz,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX csat_surveys_account ON csat_surveys (account_id, sent_at DESC);

-- Where an answer came from (the portal's own rating form, the survey page, the chat widget).
ALTER TABLE conversation_ratings ADD COLUMN source text NOT NULL DEFAULT 'portal' CHECK (source IN ('portal', 'survey', 'chat'));
