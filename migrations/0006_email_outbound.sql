-- Outbound email and IMAP (issue 4): IMAP sources polled into mailboxes, per-mailbox outbound settings, and the
-- sending state of outbound_emails (migration 0004) needs one more column: when the sender next tries.

-- An existing mailbox read over IMAP (poll or IDLE). The checkpoint is (uidvalidity, last_uid): a message is
-- ingested, then last_uid moves past it, so a restart neither duplicates nor skips mail; when the server's
-- UIDVALIDITY changes the checkpoint starts over (Message-ID de-duplication on ingest keeps that safe).
-- The password is stored for the poller and never returned by the API or written to a log.
CREATE TABLE imap_sources (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  mailbox_id uuid NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
  host text NOT NULL,
  port integer NOT NULL CHECK (port BETWEEN 1 AND 65535),
  secure boolean NOT NULL DEFAULT true,
  username text NOT NULL,
  password text NOT NULL,
  folder text NOT NULL DEFAULT 'INBOX',
  mode text NOT NULL DEFAULT 'idle' CHECK (mode IN ('idle', 'poll')),
  uidvalidity bigint,
  last_uid bigint NOT NULL DEFAULT 0,
  last_error text,
  last_polled_at timestamptz,
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (mailbox_id, host, username, folder)
);
CREATE INDEX imap_sources_account ON imap_sources (account_id);

-- Outbound settings of a mailbox. auto_ack: confirm a new customer email with an automatic answer (off by default;
-- never for automatic mail: auto-replies, lists, bulk, bounces).
CREATE TABLE mailbox_settings (
  mailbox_id uuid PRIMARY KEY REFERENCES mailboxes(id) ON DELETE CASCADE,
  auto_ack boolean NOT NULL DEFAULT false
);

-- When the sender tries again after a failure (shown with the delivery status).
ALTER TABLE outbound_emails ADD COLUMN next_attempt_at timestamptz;
