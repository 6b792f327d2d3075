-- Issue 14 item 16: creates are idempotent.
-- An Idempotency-Key of a POST is written in the same transaction as what the request creates, so at most one
-- create commits per key, on any server process; the answer is stored beside it and replayed for 24 hours.
CREATE TABLE idempotency_keys (
  scope        text NOT NULL,          -- account id and caller (API token or user), so keys never cross callers
  key          text NOT NULL,
  request_hash text NOT NULL,          -- method, route, parameters and body: the same key with another body is refused
  status       integer,                -- the stored answer (NULL: carried out, answer not stored yet)
  content_type text,
  response     text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);

-- message.clientId on conversation create, as on reply: the sender's own id of the first message; sending the same
-- create again returns the conversation it made.
ALTER TABLE conversations ADD COLUMN client_id text;
CREATE UNIQUE INDEX conversations_customer_client_id ON conversations (customer_id, client_id) WHERE client_id IS NOT NULL;

-- Issue 14 item 18: a running job is leased by the process running it (locked_by), which renews locked_at every few
-- seconds; a job whose lease ran out (its process died) is reclaimed by any other process within seconds.
ALTER TABLE jobs ADD COLUMN locked_by text;
