-- Leaders within earshot (issue 7): a daily sample of real open requests for each leader, prepared by the team,
-- answered by the leader in their own name; a weekly cap, absences and a named deputy (the burnout guard); a morning
-- digest email. Module: src/modules/leaders (docs/leaders.md).

-- A user is a leader in this sense when they have a settings row (supervisors/admins create it).
CREATE TABLE leader_settings (
  user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  requests_per_day integer NOT NULL DEFAULT 2 CHECK (requests_per_day BETWEEN 1 AND 3),
  weekly_cap integer NOT NULL DEFAULT 8 CHECK (weekly_cap BETWEEN 0 AND 50),
  deputy_id uuid REFERENCES users(id) ON DELETE SET NULL,
  -- null: the account's time zone
  timezone text,
  digest_hour integer NOT NULL DEFAULT 7 CHECK (digest_hour BETWEEN 0 AND 23),
  -- ISO weekdays, 1 = Monday … 7 = Sunday
  working_days integer[] NOT NULL DEFAULT '{1,2,3,4,5}',
  dedup_days integer NOT NULL DEFAULT 30 CHECK (dedup_days BETWEEN 0 AND 365),
  -- any of 'channel', 'queue', 'language'
  stratify text[] NOT NULL DEFAULT '{}',
  -- The self-scheduling jobs run only when their payload's time equals these (a settings change reschedules).
  next_draw_at timestamptz,
  next_digest_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (deputy_id IS NULL OR deputy_id <> user_id)
);
CREATE INDEX leader_settings_account ON leader_settings (account_id);

-- Absences (inclusive local dates). Apply to a leader and to anyone acting as a deputy.
CREATE TABLE leader_absences (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  from_date date NOT NULL,
  to_date date NOT NULL,
  note text NOT NULL DEFAULT '',
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (to_date >= from_date)
);
CREATE INDEX leader_absences_user ON leader_absences (user_id, from_date);

-- One draw per leader and local day. The seed and the candidates (in their stable order, with their stratum) are kept so
-- an auditor can replay the draw and get the same picks; `unassigned` says why a pick went to nobody.
CREATE TABLE leader_draws (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  leader_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  day date NOT NULL,
  seed bigint NOT NULL,
  -- [{"id": conversation id, "stratum": text}] in the order the PRNG saw them
  candidates jsonb NOT NULL,
  candidates_hash text NOT NULL,
  requested integer NOT NULL,
  stratify text[] NOT NULL DEFAULT '{}',
  picks uuid[] NOT NULL DEFAULT '{}',
  -- [{"conversationId", "reason": "cap"|"absence", "deputy": "none"|"cap"|"absence"}]
  unassigned jsonb NOT NULL DEFAULT '[]',
  -- null, or why nothing was drawn: 'not_working_day' | 'no_candidates'
  note text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (leader_id, day)
);

CREATE TABLE leader_items (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  draw_id uuid NOT NULL REFERENCES leader_draws(id) ON DELETE CASCADE,
  -- Whose sample it is, and who answers it (the leader, or the deputy: reason 'cap' or 'absence').
  leader_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  assignee_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  reason text CHECK (reason IN ('cap', 'absence')),
  conversation_id uuid NOT NULL UNIQUE REFERENCES conversations(id) ON DELETE CASCADE,
  customer_id uuid NOT NULL REFERENCES customers(id),
  day date NOT NULL,
  -- Monday of the ISO week of `day`: the weekly cap counts items per assignee and week.
  week date NOT NULL,
  status text NOT NULL DEFAULT 'drawn' CHECK (status IN ('drawn', 'prepared', 'answered', 'handed_back')),
  summary text,
  proposed_answer text,
  notes text,
  prepared_by uuid REFERENCES users(id) ON DELETE SET NULL,
  prepared_at timestamptz,
  answer_message_id uuid REFERENCES messages(id) ON DELETE SET NULL,
  answered_at timestamptz,
  hand_back_reason text,
  handed_back_at timestamptz,
  drawn_at timestamptz NOT NULL
);
CREATE INDEX leader_items_assignee_week ON leader_items (assignee_id, week);
CREATE INDEX leader_items_customer ON leader_items (account_id, customer_id, day);
CREATE INDEX leader_items_status ON leader_items (account_id, status);

-- One morning digest per leader and local day (the job is idempotent through this row).
CREATE TABLE leader_digests (
  leader_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  day date NOT NULL,
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  outbound_email_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (leader_id, day)
);
