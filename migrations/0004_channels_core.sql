-- Channels (issue 4), shared part: a sender's own message id, so a message delivered twice (chat reconnect, API retry)
-- is stored once. Channel-specific tables follow in their own migrations.
ALTER TABLE messages ADD COLUMN client_id text;
CREATE UNIQUE INDEX messages_client_id ON messages (conversation_id, client_id) WHERE client_id IS NOT NULL;
-- A reply to a closed conversation can open a linked follow-up.
ALTER TABLE conversations ADD COLUMN follow_up_of uuid REFERENCES conversations(id);
-- The token in a conversation's reply address (reply+<token>@…): random, so nobody can write into a conversation
-- by guessing.
ALTER TABLE conversations ADD COLUMN reply_token text NOT NULL DEFAULT replace(gen_random_uuid()::text, '-', '');
CREATE UNIQUE INDEX conversations_reply_token ON conversations (reply_token);

-- Outgoing email (agent replies, portal sign-in links, notifications). A row is written in the transaction that causes
-- the mail, with an `email.send` job; the job sends it and records the result, so a mail is sent after its cause
-- committed, retried with backoff, and never sent twice once marked sent.
CREATE TABLE outbound_emails (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('reply', 'system')),
  conversation_id uuid REFERENCES conversations(id) ON DELETE CASCADE,
  message_id uuid REFERENCES messages(id) ON DELETE CASCADE,
  from_address text,
  to_addresses text[] NOT NULL,
  subject text NOT NULL,
  text_body text NOT NULL,
  html_body text,
  -- Message-ID, In-Reply-To, References, Reply-To, Auto-Submitted … as sent.
  headers jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz
);
CREATE INDEX outbound_emails_conversation ON outbound_emails (conversation_id) WHERE conversation_id IS NOT NULL;
CREATE INDEX outbound_emails_account ON outbound_emails (account_id, created_at DESC);
-- Opened by a robot (auto-reply, list mail that threads nowhere): not a customer contact, so it writes no
-- contact-vocabulary events and never counts in waits or journeys.
ALTER TABLE conversations ADD COLUMN automatic boolean NOT NULL DEFAULT false;
