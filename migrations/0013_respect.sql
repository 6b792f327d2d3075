-- Respect both ways (issue 7): graduated measures against abuse of staff (warning → cool-off → restriction → ban),
-- four-eyes approval, criticism protected, appeals decided by a third person, every measure expires.

-- Per-account settings: the supervisor queue for cool-offs and the customer-facing warning template per language.
CREATE TABLE respect_settings (
  account_id uuid PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
  cool_off_queue_id uuid REFERENCES queues(id) ON DELETE SET NULL,
  -- {"en": "...", "de": "...", "nb": "..."}: overrides of the built-in warning text
  warning_templates jsonb NOT NULL DEFAULT '{}',
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE respect_measures (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  customer_id uuid NOT NULL REFERENCES customers(id),
  conversation_id uuid REFERENCES conversations(id) ON DELETE SET NULL,
  kind text NOT NULL CHECK (kind IN ('warning', 'cool_off', 'restriction', 'ban')),
  -- restriction: the channels still allowed (e.g. {email}); null for the other kinds
  channels text[],
  reason_category text NOT NULL CHECK (reason_category IN ('insult', 'threat', 'harassment', 'discrimination', 'other')),
  -- internal: never sent to the customer
  reason_text text NOT NULL DEFAULT '',
  -- [{"messageId"?, "source": "message"|"community"|"public", "ref"?, "text", "abuse": "abuse"|"criticism"|"none", "threat": bool}]
  evidence jsonb NOT NULL DEFAULT '[]',
  abused_user_ids uuid[] NOT NULL DEFAULT '{}',
  reporter_id uuid NOT NULL REFERENCES users(id),
  status text NOT NULL DEFAULT 'proposed'
    CHECK (status IN ('proposed', 'active', 'rejected', 'expired', 'overturned', 'revoked')),
  duration_days integer NOT NULL CHECK (duration_days BETWEEN 1 AND 365),
  until timestamptz,
  decided_by uuid REFERENCES users(id),
  decided_at timestamptz,
  decision_note text,
  ended_by uuid REFERENCES users(id),
  ended_at timestamptz,
  -- the customer-facing appeal page /appeal/<token> (sha256 of the token)
  appeal_token_hash text UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX respect_measures_customer ON respect_measures (account_id, customer_id, status);
CREATE INDEX respect_measures_status ON respect_measures (account_id, status, created_at DESC);

CREATE TABLE respect_appeals (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  measure_id uuid NOT NULL REFERENCES respect_measures(id) ON DELETE CASCADE,
  text text NOT NULL,
  -- customer: through the public page; agent: recorded on the customer's behalf
  source text NOT NULL CHECK (source IN ('customer', 'agent')),
  recorded_by uuid REFERENCES users(id),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'upheld', 'overturned')),
  decided_by uuid REFERENCES users(id),
  decided_at timestamptz,
  decision_note text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX respect_appeals_measure ON respect_appeals (measure_id);
-- one open appeal per measure
CREATE UNIQUE INDEX respect_appeals_open ON respect_appeals (measure_id) WHERE status = 'open';

-- Proposals refused because their only evidence was criticism (the measure itself is not stored).
CREATE TABLE respect_refusals (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  customer_id uuid REFERENCES customers(id),
  reporter_id uuid REFERENCES users(id),
  kind text NOT NULL,
  reason_category text NOT NULL,
  -- 'proposal' or 'approval' (re-checked when approving)
  stage text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX respect_refusals_time ON respect_refusals (account_id, created_at);

-- Conversations of a banned customer moved into the cool-off queue (once each: a supervisor may move one back).
CREATE TABLE respect_routed (
  conversation_id uuid PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
  measure_id uuid NOT NULL REFERENCES respect_measures(id) ON DELETE CASCADE,
  routed_at timestamptz NOT NULL
);
