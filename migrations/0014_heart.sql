-- Service with heart (issue 7): goodwill budgets and spends with approval, documented exceptions to policy, moments
-- worth sharing (with the customer's consent recorded) and kudos. Amounts are integer minor units of the currency.

-- One row per account (created on first use): currency, the approval threshold and the default monthly budgets.
CREATE TABLE heart_settings (
  account_id uuid PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
  currency text NOT NULL DEFAULT 'EUR' CHECK (currency ~ '^[A-Z]{3}$'),
  -- A spend ABOVE this amount needs approval (minor units).
  approval_threshold bigint NOT NULL DEFAULT 5000 CHECK (approval_threshold >= 0),
  default_agent_budget bigint NOT NULL DEFAULT 0 CHECK (default_agent_budget >= 0),
  default_team_budget bigint NOT NULL DEFAULT 0 CHECK (default_team_budget >= 0),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- A budget set for one agent or one team for one calendar month (account time zone); without a row the default applies.
CREATE TABLE goodwill_budgets (
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  subject_type text NOT NULL CHECK (subject_type IN ('user', 'team')),
  subject_id uuid NOT NULL,
  -- First day of the month.
  month date NOT NULL CHECK (extract(day FROM month) = 1),
  amount bigint NOT NULL CHECK (amount >= 0),
  set_by uuid REFERENCES users(id) ON DELETE SET NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, subject_type, subject_id, month)
);

CREATE TABLE goodwill_spends (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  spender_id uuid NOT NULL REFERENCES users(id),
  team_id uuid REFERENCES teams(id) ON DELETE SET NULL,
  kind text NOT NULL CHECK (kind IN ('gift', 'replacement', 'free_delivery', 'refund', 'other')),
  amount bigint NOT NULL CHECK (amount > 0),
  currency text NOT NULL,
  description text NOT NULL,
  -- The calendar month (account time zone) the spend counts against.
  month date NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
  -- Why approval was needed: above_threshold, agent_budget, team_budget.
  approval_reasons text[] NOT NULL DEFAULT '{}',
  decided_by uuid REFERENCES users(id) ON DELETE SET NULL,
  decided_at timestamptz,
  decision_note text,
  created_at timestamptz NOT NULL
);
CREATE INDEX goodwill_spends_month ON goodwill_spends (account_id, month, status);
CREATE INDEX goodwill_spends_conversation ON goodwill_spends (conversation_id);

CREATE TABLE policy_exceptions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  policy text NOT NULL CHECK (length(btrim(policy)) > 0),
  action text NOT NULL CHECK (length(btrim(action)) > 0),
  reason text NOT NULL CHECK (length(btrim(reason)) > 0),
  goodwill_spend_id uuid REFERENCES goodwill_spends(id) ON DELETE SET NULL,
  created_by uuid NOT NULL REFERENCES users(id),
  month date NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX policy_exceptions_month ON policy_exceptions (account_id, month);
CREATE INDEX policy_exceptions_conversation ON policy_exceptions (conversation_id);

CREATE TABLE moments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  conversation_id uuid REFERENCES conversations(id) ON DELETE SET NULL,
  agent_id uuid NOT NULL REFERENCES users(id),
  title text NOT NULL,
  story text NOT NULL,
  -- What the feed shows when consent is not given: customer name and identifiers stripped when captured.
  anon_title text NOT NULL,
  anon_story text NOT NULL,
  consent_given boolean NOT NULL,
  consent_how text CHECK (consent_how IN ('conversation', 'writing', 'other')),
  consent_note text,
  consent_at timestamptz,
  consent_recorded_by uuid REFERENCES users(id) ON DELETE SET NULL,
  consent_withdrawn_at timestamptz,
  -- team: in the feed with customer details (needs consent); anonymised: in the feed stripped; private: not in the feed.
  sharing text NOT NULL CHECK (sharing IN ('team', 'anonymised', 'private')),
  created_at timestamptz NOT NULL,
  CHECK (sharing <> 'team' OR consent_given),
  CHECK (NOT consent_given OR (consent_how IS NOT NULL AND consent_at IS NOT NULL))
);
CREATE INDEX moments_feed ON moments (account_id, created_at DESC) WHERE sharing <> 'private';

CREATE TABLE moment_kudos (
  moment_id uuid NOT NULL REFERENCES moments(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (moment_id, user_id)
);
