-- Earshot core schema. Runs unchanged on PGlite and PostgreSQL >= 15.

CREATE TABLE accounts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name text NOT NULL,
  timezone text NOT NULL DEFAULT 'UTC',
  locale text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'de', 'nb')),
  currency text NOT NULL DEFAULT 'EUR',
  settings jsonb NOT NULL DEFAULT '{}',
  next_conversation_number integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  email text NOT NULL,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('agent', 'supervisor', 'leader', 'admin')),
  password_hash text,
  locale text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'de', 'nb')),
  timezone text,
  presence text NOT NULL DEFAULT 'offline' CHECK (presence IN ('available', 'busy', 'away', 'offline')),
  capacity integer NOT NULL DEFAULT 10 CHECK (capacity >= 0),
  last_assigned_at timestamptz,
  disabled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_account_email ON users (account_id, lower(email));
CREATE INDEX users_email ON users (lower(email));

CREATE TABLE teams (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, name)
);
CREATE TABLE team_members (
  team_id uuid NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (team_id, user_id)
);

CREATE TABLE sla_policies (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name text NOT NULL,
  first_reply_minutes integer CHECK (first_reply_minutes > 0),
  next_reply_minutes integer CHECK (next_reply_minutes > 0),
  resolution_minutes integer CHECK (resolution_minutes > 0),
  business_hours boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, name)
);

CREATE TABLE queues (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name text NOT NULL,
  timezone text NOT NULL DEFAULT 'UTC',
  -- {"mon": [["09:00","17:00"]], …, "holidays": ["2026-12-24"]}; NULL = always open
  business_hours jsonb,
  team_id uuid REFERENCES teams(id) ON DELETE SET NULL,
  assignment text NOT NULL DEFAULT 'manual' CHECK (assignment IN ('manual', 'round_robin', 'load')),
  sla_policy_id uuid REFERENCES sla_policies(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, name)
);

CREATE TABLE customers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name text,
  language text,
  notes text,
  merged_into uuid REFERENCES customers(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customers_account ON customers (account_id, created_at DESC);

CREATE TABLE customer_identities (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('email', 'phone', 'chat', 'external')),
  value text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, kind, value)
);
CREATE INDEX customer_identities_customer ON customer_identities (customer_id);

CREATE TABLE conversations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  number integer NOT NULL,
  subject text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'open', 'pending', 'on_hold', 'solved', 'closed')),
  priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  channel text NOT NULL CHECK (channel IN ('email', 'chat', 'web', 'phone', 'api')),
  queue_id uuid REFERENCES queues(id) ON DELETE SET NULL,
  assignee_id uuid REFERENCES users(id) ON DELETE SET NULL,
  customer_id uuid NOT NULL REFERENCES customers(id),
  tags text[] NOT NULL DEFAULT '{}',
  custom_fields jsonb NOT NULL DEFAULT '{}',
  language text,
  merged_into uuid REFERENCES conversations(id),
  split_from uuid REFERENCES conversations(id),
  first_reply_due_at timestamptz,
  next_reply_due_at timestamptz,
  resolution_due_at timestamptz,
  first_replied_at timestamptz,
  solved_at timestamptz,
  last_message_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  subject_tsv tsvector GENERATED ALWAYS AS (
    to_tsvector('english', subject) || to_tsvector('german', subject) || to_tsvector('norwegian', subject)
  ) STORED,
  UNIQUE (account_id, number)
);
CREATE INDEX conversations_list ON conversations (account_id, status, last_message_at DESC);
CREATE INDEX conversations_assignee ON conversations (account_id, assignee_id, status);
CREATE INDEX conversations_queue ON conversations (account_id, queue_id, status);
CREATE INDEX conversations_customer ON conversations (customer_id);
CREATE INDEX conversations_tags ON conversations USING gin (tags);
CREATE INDEX conversations_subject_tsv ON conversations USING gin (subject_tsv);

CREATE TABLE messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('message', 'note')),
  direction text CHECK (direction IN ('inbound', 'outbound')),
  author_type text NOT NULL CHECK (author_type IN ('customer', 'agent', 'system')),
  author_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
  author_customer_id uuid REFERENCES customers(id),
  automatic boolean NOT NULL DEFAULT false,
  text text NOT NULL DEFAULT '',
  html text,
  language text,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- The message's own language gets its stemmer; all three are indexed so a query in any of them finds it.
  tsv tsvector GENERATED ALWAYS AS (
    to_tsvector('english', text) || to_tsvector('german', text) || to_tsvector('norwegian', text)
  ) STORED,
  CHECK ((kind = 'note') = (direction IS NULL))
);
CREATE INDEX messages_conversation ON messages (conversation_id, created_at);
CREATE INDEX messages_tsv ON messages USING gin (tsv);

CREATE TABLE attachments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  message_id uuid NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  filename text NOT NULL,
  content_type text NOT NULL,
  size integer NOT NULL,
  sha256 text NOT NULL,
  content bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachments_message ON attachments (message_id);

-- The source of truth: every touch of a customer, once, immutable. Conversations and metrics are projections.
CREATE TABLE contact_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  contact_id text NOT NULL,
  type text NOT NULL,
  channel text NOT NULL,
  occurred_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  conversation_id uuid,
  customer_id uuid,
  identity text,
  queue_id uuid,
  agent_id uuid,
  source text NOT NULL DEFAULT 'earshot',
  -- Importers set a key so importing the same file twice adds nothing.
  dedupe_key text,
  data jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX contact_events_contact ON contact_events (account_id, contact_id, occurred_at);
CREATE INDEX contact_events_time ON contact_events (account_id, occurred_at);
CREATE INDEX contact_events_conversation ON contact_events (conversation_id, id) WHERE conversation_id IS NOT NULL;
CREATE INDEX contact_events_customer ON contact_events (account_id, customer_id, occurred_at) WHERE customer_id IS NOT NULL;
CREATE UNIQUE INDEX contact_events_dedupe ON contact_events (account_id, dedupe_key) WHERE dedupe_key IS NOT NULL;

CREATE FUNCTION earshot_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER contact_events_append_only BEFORE UPDATE OR DELETE ON contact_events
  FOR EACH ROW EXECUTE FUNCTION earshot_append_only();

CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  actor_type text NOT NULL CHECK (actor_type IN ('user', 'token', 'system', 'cli')),
  actor_id text,
  action text NOT NULL,
  target_type text,
  target_id text,
  data jsonb NOT NULL DEFAULT '{}',
  ip text,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_account ON audit_log (account_id, id DESC);
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION earshot_append_only();

CREATE TABLE api_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name text NOT NULL DEFAULT '',
  role text NOT NULL CHECK (role IN ('agent', 'supervisor', 'leader', 'admin')),
  token_hash text NOT NULL UNIQUE,
  prefix text NOT NULL,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);

CREATE TABLE sessions (
  id_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ip text,
  user_agent text
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE macros (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name text NOT NULL,
  kind text NOT NULL DEFAULT 'reply' CHECK (kind IN ('reply', 'note')),
  body text NOT NULL,
  -- {"status": "pending", "priority": "high", "addTags": ["refund"], "queueId": "…"}
  actions jsonb NOT NULL DEFAULT '{}',
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, name)
);

CREATE TABLE sla_breaches (
  conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  metric text NOT NULL CHECK (metric IN ('first_reply', 'next_reply', 'resolution')),
  due_at timestamptz NOT NULL,
  breached_at timestamptz NOT NULL,
  PRIMARY KEY (conversation_id, metric, due_at)
);

CREATE TABLE conversation_viewers (
  conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  mode text NOT NULL CHECK (mode IN ('viewing', 'replying')),
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (conversation_id, user_id)
);

CREATE TABLE webhooks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  url text NOT NULL,
  secret text NOT NULL,
  events text[] NOT NULL,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhook_deliveries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  webhook_id uuid NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  event text NOT NULL,
  body text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  response_status integer,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz
);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, created_at DESC);

-- Side effects run as jobs enqueued inside the transaction that caused them.
CREATE TABLE jobs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  run_at timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL DEFAULT 8,
  last_error text,
  locked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX jobs_due ON jobs (run_at) WHERE status = 'queued';
CREATE INDEX jobs_stale ON jobs (locked_at) WHERE status = 'running';
