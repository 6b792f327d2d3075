-- Web channel (issue 4): the public contact form and the magic-link customer portal.

-- Per-account settings of the web channel. `secret` signs the contact form's token (HMAC) and is never shown;
-- `topics` is the list a visitor picks from: [{"key": "billing", "label": {"en": "…", "de": "…", "nb": "…"},
-- "queueId": "…"}]; `default_queue_id` takes requests without a topic.
CREATE TABLE web_settings (
  account_id uuid PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
  secret text NOT NULL,
  topics jsonb NOT NULL DEFAULT '[]',
  default_queue_id uuid REFERENCES queues(id) ON DELETE SET NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Sign-in links: single use, short-lived; only the SHA-256 of the token is stored.
CREATE TABLE portal_links (
  token_hash text PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  email text NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- The per-address limit counts an address's recent links.
CREATE INDEX portal_links_email ON portal_links (account_id, email, created_at DESC);

-- Portal sessions (cookie earshot_portal), separate from the agents' sessions; only the SHA-256 of the id is stored.
CREATE TABLE portal_sessions (
  id_hash text PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX portal_sessions_customer ON portal_sessions (customer_id);

-- A customer's rating of a solved conversation: one per conversation, changeable.
CREATE TABLE conversation_ratings (
  conversation_id uuid PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  score integer NOT NULL CHECK (score BETWEEN 1 AND 5),
  comment text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversation_ratings_account ON conversation_ratings (account_id, created_at DESC);
