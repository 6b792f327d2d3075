-- Probes (issue 6): scheduled mystery contacts through the real front doors (SMTP, the chat widget's socket, the CTI
-- webhook). Each probe owns a probe customer (its From address and caller number); contacts of that customer are
-- marked `probe` in contact_facts by the projection and kept out of the customer figures.
CREATE TABLE probes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('email', 'chat', 'phone')),
  -- email: the support mailbox address; chat and phone: the queue name (or null: no queue)
  target text,
  -- The probe customer: contacts of this customer are probes.
  customer_id uuid NOT NULL REFERENCES customers(id),
  from_address text NOT NULL,
  caller_number text NOT NULL,
  every_minutes integer CHECK (every_minutes IS NULL OR every_minutes BETWEEN 1 AND 525600),
  -- How long a run waits for a human before it counts as unanswered.
  wait_limit_seconds integer NOT NULL DEFAULT 3600 CHECK (wait_limit_seconds BETWEEN 1 AND 604800),
  next_run_at timestamptz,
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, name)
);
CREATE INDEX probes_customer ON probes (account_id, customer_id);

CREATE TABLE probe_runs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  probe_id uuid NOT NULL REFERENCES probes(id) ON DELETE CASCADE,
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  channel text NOT NULL,
  started_at timestamptz NOT NULL,
  -- email: the Message-ID sent; chat: the conversation from the ack; phone: cti:<callId>
  ref text NOT NULL,
  contact_id text,
  conversation_id uuid,
  answered_at timestamptz,
  lived_wait_seconds double precision,
  wait_limit_seconds integer NOT NULL,
  -- sending → waiting → answered | unanswered; failed when the front door refused the probe
  status text NOT NULL DEFAULT 'sending' CHECK (status IN ('sending', 'waiting', 'answered', 'unanswered', 'failed')),
  error text
);
CREATE INDEX probe_runs_time ON probe_runs (account_id, started_at);
CREATE INDEX probe_runs_open ON probe_runs (account_id) WHERE status IN ('sending', 'waiting');

ALTER TABLE contact_facts ADD COLUMN probe boolean NOT NULL DEFAULT false;
