-- Phone events and callbacks (issue 4, voice channel): callback tasks for abandoned calls with their own SLA, and the
-- checkpoint of the live queue_log follower.

-- How long a queue may take to call an abandoned caller back (business minutes when the queue has business hours),
-- and after how many failed attempts (no answer, voicemail) a callback is given up.
ALTER TABLE queues ADD COLUMN callback_sla_minutes integer NOT NULL DEFAULT 60 CHECK (callback_sla_minutes > 0);
ALTER TABLE queues ADD COLUMN callback_max_attempts integer NOT NULL DEFAULT 3 CHECK (callback_max_attempts > 0);

-- A callback owed to a caller who hung up (or asked to be called back). One per abandoned call (contact_id), at most
-- one open per phone number and queue. Its own contact `callback:<id>` continues the caller's journey.
CREATE TABLE callbacks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  queue_id uuid REFERENCES queues(id) ON DELETE SET NULL,
  -- The abandoned call (contact id of its events, e.g. ami:1700000000.12).
  contact_id text NOT NULL,
  customer_id uuid REFERENCES customers(id) ON DELETE SET NULL,
  phone text NOT NULL,
  reason text NOT NULL DEFAULT 'abandoned' CHECK (reason IN ('abandoned', 'requested')),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
  due_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  made_at timestamptz,
  made_by uuid REFERENCES users(id) ON DELETE SET NULL,
  outcome text CHECK (outcome IN ('reached', 'no_answer', 'voicemail', 'wrong_number')),
  note text,
  closed_at timestamptz,
  -- How it was closed: 'callback' (reached or given up after attempts), 'caller' (the caller got through to a human
  -- on a later call before being called back), 'cancelled'.
  closed_by text CHECK (closed_by IN ('callback', 'caller', 'cancelled')),
  cancel_reason text,
  -- Set by the callback.sla job when the callback was not made (reached or closed) by due_at.
  breached_at timestamptz,
  UNIQUE (account_id, contact_id)
);
CREATE UNIQUE INDEX callbacks_one_open ON callbacks (account_id, coalesce(queue_id, '00000000-0000-0000-0000-000000000000'::uuid), phone)
  WHERE status = 'open';
CREATE INDEX callbacks_due ON callbacks (account_id, status, due_at);
CREATE INDEX callbacks_customer ON callbacks (customer_id) WHERE customer_id IS NOT NULL;
CREATE INDEX callbacks_phone ON callbacks (account_id, phone);

-- Every attempt to call back, with who made it and how it went.
CREATE TABLE callback_attempts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  callback_id uuid NOT NULL REFERENCES callbacks(id) ON DELETE CASCADE,
  at timestamptz NOT NULL,
  user_id uuid REFERENCES users(id) ON DELETE SET NULL,
  outcome text NOT NULL CHECK (outcome IN ('reached', 'no_answer', 'voicemail', 'wrong_number')),
  note text
);
CREATE INDEX callback_attempts_callback ON callback_attempts (callback_id, at);

-- Where the live queue_log follower has read to: the file's identity (device and inode, so a rotation is noticed) and
-- the byte offset after the last complete line it committed (written in the same transaction as that line's events).
-- replay_offset is where a restarted follower starts parsing (calls whose exit is still held in memory began there);
-- lines between replay_offset and read_offset are parsed again and add nothing (dedupe keys).
CREATE TABLE voice_follow_checkpoints (
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  path text NOT NULL,
  dev text NOT NULL,
  ino text NOT NULL,
  read_offset bigint NOT NULL,
  replay_offset bigint NOT NULL,
  -- SHA-1 of the (up to) 64 bytes before read_offset: a file truncated and rewritten past the offset is noticed.
  tail_hash text NOT NULL DEFAULT '',
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, path)
);
