-- Issue 14 items 1 and 4: mail domains belong to one account; API tokens follow their creator's rights.

-- A mail domain claimed by one account. Only that account may have mailboxes in it, and only its mailboxes (and
-- reply addresses) in it receive mail. claimed_by: 'operator' (earshot domain claim), 'first-use' (the first mailbox
-- of a domain on an install with a single account), 'migration' (existing mailboxes when this migration ran).
CREATE TABLE mail_domains (
  domain text PRIMARY KEY CHECK (domain = lower(domain) AND domain <> '' AND domain !~ '[@\s]'),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  claimed_by text NOT NULL CHECK (claimed_by IN ('operator', 'first-use', 'migration')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mail_domains_account ON mail_domains (account_id);

-- Existing mailboxes: each domain goes to the account that used it first.
INSERT INTO mail_domains (domain, account_id, claimed_by, created_at)
SELECT DISTINCT ON (split_part(address, '@', 2)) split_part(address, '@', 2), account_id, 'migration', created_at
  FROM mailboxes
 ORDER BY split_part(address, '@', 2), created_at, id;

-- Tokens of a disabled creator are revoked; tokens above their creator's role are capped at it. Roles by what they
-- may do: agent ⊂ leader ⊂ supervisor ⊂ admin (a leader's capabilities are a subset of a supervisor's).
UPDATE api_tokens t SET revoked_at = now()
  FROM users u WHERE u.id = t.created_by AND u.disabled_at IS NOT NULL AND t.revoked_at IS NULL;
UPDATE api_tokens t SET role = u.role
  FROM users u
 WHERE u.id = t.created_by
   AND array_position(ARRAY['agent', 'leader', 'supervisor', 'admin'], t.role)
     > array_position(ARRAY['agent', 'leader', 'supervisor', 'admin'], u.role);
