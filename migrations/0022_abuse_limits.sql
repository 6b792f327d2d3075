-- Issue 14 items 5 and 7: limits that must hold across every server process, so they live in the database.

-- Sign-in failures per typed email address (lower-case), whether or not a user has it (so a lock tells nothing about
-- which addresses exist). Past a few failures in a row the address is locked for a back-off that doubles with each
-- further failure; a successful sign-in clears the row.
CREATE TABLE login_throttle (
  email text PRIMARY KEY,
  failures int NOT NULL DEFAULT 0,
  last_failure_at timestamptz NOT NULL,
  locked_until timestamptz
);

-- Acknowledgements of the public contact form, per recipient (normalised address, across accounts), so a typed
-- address cannot be flooded with confirmations.
CREATE TABLE contact_acks (
  recipient text NOT NULL,
  sent_at timestamptz NOT NULL
);
CREATE INDEX contact_acks_recipient ON contact_acks (recipient, sent_at);
