-- Invitations and password resets (issue 13): a single-use, expiring link emailed to a user. Only the SHA-256 of the
-- token is stored; a newer link of the same user replaces the older ones (marked used).
CREATE TABLE password_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  purpose text NOT NULL CHECK (purpose IN ('invite', 'reset')),
  token_hash text NOT NULL UNIQUE,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  -- 'set' when the link set the password; 'replaced' when a newer link took its place
  used_for text CHECK (used_for IN ('set', 'replaced')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX password_tokens_user ON password_tokens (user_id, created_at);
