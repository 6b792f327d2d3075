-- Inbound email (issue 4): mailboxes, the stored inbound messages with their headers and raw source, the Message-IDs
-- of both directions for threading, and bounce marks on customer addresses.

-- An address that receives mail for an account (support@acme.test). Addresses are unique across all accounts: the
-- SMTP listener finds the account by the recipient.
CREATE TABLE mailboxes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  address text NOT NULL UNIQUE CHECK (address = lower(address) AND address ~ '^[^@\s]+@[^@\s]+$'),
  name text NOT NULL DEFAULT '',
  queue_id uuid REFERENCES queues(id) ON DELETE SET NULL,
  -- A customer's reply to a closed conversation: reopen it, or open a follow-up linked by conversations.follow_up_of.
  on_closed text NOT NULL DEFAULT 'reopen' CHECK (on_closed IN ('reopen', 'follow_up')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mailboxes_account ON mailboxes (account_id);
-- Reply addresses reply+<token>@<domain> are accepted for any domain of the account's mailboxes.
CREATE INDEX mailboxes_domain ON mailboxes ((split_part(address, '@', 2)));

-- Every inbound email as received: exactly once per (account, Message-ID). A message without a Message-ID gets
-- <sha256-of-raw@earshot.invalid>. conversation_id/message_id are null for a bounce that matched no conversation
-- (kept, never turned into a customer conversation).
CREATE TABLE email_messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  mailbox_id uuid REFERENCES mailboxes(id) ON DELETE SET NULL,
  conversation_id uuid REFERENCES conversations(id) ON DELETE CASCADE,
  message_id uuid REFERENCES messages(id) ON DELETE CASCADE,
  source text NOT NULL CHECK (source IN ('smtp', 'imap')),
  rfc_message_id text NOT NULL,
  in_reply_to text,
  "references" text[] NOT NULL DEFAULT '{}',
  from_address text,
  from_name text,
  to_addresses text[] NOT NULL DEFAULT '{}',
  cc_addresses text[] NOT NULL DEFAULT '{}',
  rcpt_to text[] NOT NULL DEFAULT '{}',
  mail_from text,
  subject text NOT NULL DEFAULT '',
  date_header timestamptz,
  -- null: a person wrote it; else auto_reply | bulk | list | bounce (never auto-answered, never a human message).
  auto_kind text CHECK (auto_kind IN ('auto_reply', 'bulk', 'list', 'bounce')),
  -- how the message found its conversation: token | header | subject | tag | new | follow_up | reopen | bounce
  threaded_by text,
  quoted_text text,
  bounce jsonb,
  raw_size integer NOT NULL,
  raw_sha256 text NOT NULL,
  raw bytea NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, rfc_message_id)
);
CREATE INDEX email_messages_conversation ON email_messages (conversation_id, received_at);
CREATE INDEX email_messages_message ON email_messages (message_id);

-- Message-IDs of both directions (inbound: written here; outbound: written by the sender), so In-Reply-To and
-- References find the conversation whichever side wrote the referenced mail.
CREATE TABLE email_message_ids (
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  rfc_message_id text NOT NULL,
  conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  message_id uuid REFERENCES messages(id) ON DELETE CASCADE,
  direction text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, rfc_message_id)
);
CREATE INDEX email_message_ids_conversation ON email_message_ids (conversation_id);

-- A delivery failure report (DSN) marks the address it was about.
ALTER TABLE customer_identities ADD COLUMN bounced_at timestamptz;
ALTER TABLE customer_identities ADD COLUMN bounce_reason text;
