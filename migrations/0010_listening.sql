-- Listening (issue 6): what each inbound customer message says, and the anecdote audit that holds every wait claim
-- against what was measured for that customer.

-- One row per analysed inbound customer message (the `listening.analyze` job upserts it; re-running changes nothing).
CREATE TABLE message_findings (
  message_id uuid PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  customer_id uuid REFERENCES customers(id) ON DELETE SET NULL,
  lang text NOT NULL,
  wait_complaint boolean NOT NULL,
  wait_minutes double precision,
  urgency text CHECK (urgency IN ('bereavement', 'medical', 'travel', 'deadline', 'safety')),
  abuse text NOT NULL CHECK (abuse IN ('abuse', 'criticism', 'none')),
  threat boolean NOT NULL,
  sentiment text NOT NULL CHECK (sentiment IN ('neg', 'neu', 'pos')),
  frustration double precision NOT NULL,
  confidence double precision NOT NULL,
  -- {"wait": span|null, "urgency": span|null, "abuse": span|null, "threat": span|null, "waitConfidence": n}
  -- (span = {start, end, text}, offsets into the message text)
  evidence jsonb NOT NULL DEFAULT '{}',
  -- Abuse or a threat: listed for the respect policy (supervisors decide; nothing is sanctioned automatically).
  flagged boolean GENERATED ALWAYS AS (abuse = 'abuse' OR threat) STORED,
  -- What the job did because of this message: {"priority": {"from", "to"}} — never repeated on a re-run.
  actions jsonb NOT NULL DEFAULT '{}',
  classifier text NOT NULL,
  classifier_version text NOT NULL,
  message_at timestamptz NOT NULL,
  analysed_at timestamptz NOT NULL
);
CREATE INDEX message_findings_flagged ON message_findings (account_id, message_at DESC) WHERE flagged;
CREATE INDEX message_findings_conversation ON message_findings (conversation_id);

-- One row per wait claim (a message whose finding says the customer complains about waiting).
CREATE TABLE anecdote_checks (
  message_id uuid PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  customer_id uuid REFERENCES customers(id) ON DELETE SET NULL,
  queue_id uuid REFERENCES queues(id) ON DELETE SET NULL,
  channel text NOT NULL,
  claimed_minutes double precision,
  -- The largest lived contact wait and journey wait measured for the customer in the window before the message.
  measured_contact_seconds double precision,
  measured_journey_seconds double precision,
  -- Which contacts were looked at (ids), for "examples one click away".
  measured_contacts text[] NOT NULL DEFAULT '{}',
  verdict text NOT NULL CHECK (verdict IN ('agrees', 'contradicted', 'blind_spot', 'no_figure')),
  -- Monday of the message's week in the account's time zone.
  week date NOT NULL,
  message_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX anecdote_checks_time ON anecdote_checks (account_id, message_at);
CREATE INDEX anecdote_checks_week ON anecdote_checks (account_id, week);

-- One alert per account and week at most, so a re-run or the next claim of the same week does not alert again.
CREATE TABLE anecdote_alerts (
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  week date NOT NULL,
  share double precision NOT NULL,
  previous_share double precision,
  claims integer NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (account_id, week)
);
