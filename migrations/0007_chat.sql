-- Chat channel (issue 4): visitor sessions of the embeddable widget, the chats they open, the order in which a chat's
-- messages are delivered to the visitor, and files the visitor uploaded before sending them.

-- A widget visitor. The token the widget keeps is random and stored only as its SHA-256.
CREATE TABLE chat_sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  ip text,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chat_sessions_account ON chat_sessions (account_id, created_at DESC);

-- One chat: a conversation opened from the widget. mode 'email' = no agent was available, the conversation is an
-- email conversation and the visitor is answered by email. A chat ends when the visitor leaves (or stays away past
-- the grace period); outcome 'abandoned' when nobody had answered by then.
CREATE TABLE chat_conversations (
  conversation_id uuid PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  session_id uuid NOT NULL REFERENCES chat_sessions(id) ON DELETE CASCADE,
  mode text NOT NULL CHECK (mode IN ('chat', 'email')),
  opened_at timestamptz NOT NULL,
  disconnected_at timestamptz,
  ended_at timestamptz,
  outcome text CHECK (outcome IN ('left', 'abandoned')),
  CHECK ((ended_at IS NULL) = (outcome IS NULL))
);
CREATE INDEX chat_conversations_session ON chat_conversations (session_id) WHERE ended_at IS NULL;

-- The visitor-facing order of a chat's messages: seq 1, 2, 3 … assigned once, append-only, so a reconnecting widget
-- asks for "everything after seq n" and gets exactly what it missed.
CREATE TABLE chat_deliveries (
  conversation_id uuid NOT NULL REFERENCES chat_conversations(conversation_id) ON DELETE CASCADE,
  seq integer NOT NULL CHECK (seq > 0),
  message_id uuid NOT NULL UNIQUE REFERENCES messages(id) ON DELETE CASCADE,
  PRIMARY KEY (conversation_id, seq)
);

-- A file uploaded by a visitor over HTTP; a following chat message references it by id and it becomes an attachment.
CREATE TABLE chat_uploads (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  session_id uuid NOT NULL REFERENCES chat_sessions(id) ON DELETE CASCADE,
  filename text NOT NULL,
  content_type text NOT NULL,
  size integer NOT NULL,
  content bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chat_uploads_session ON chat_uploads (session_id);
