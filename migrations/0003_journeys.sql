-- Journeys and lived waits (issue 3). Both tables are projections of contact_events: they can be dropped and rebuilt
-- from the log at any time (`earshot recompute`), which is how a changed metric definition is applied to history.

-- One row per contact (one attempt: a call, a chat, an email thread), derived from its events.
CREATE TABLE contact_facts (
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  contact_id text NOT NULL,
  channel text NOT NULL,
  queue_id uuid,
  conversation_id uuid,
  -- Whose journey this contact belongs to: 'c:<customer id>' or 'i:<identity>'; NULL = unidentified (no journey).
  who text,
  -- The journey window within which this customer's contacts are stitched: a local calendar day for calls and chats,
  -- the thread for email and other written channels.
  window_key text NOT NULL,
  local_day date NOT NULL,
  tz text NOT NULL,
  first_touch_at timestamptz NOT NULL,
  queue_entered_at timestamptz,
  answered_at timestamptz,
  abandoned_at timestamptz,
  resolved_at timestamptz,
  last_event_at timestamptz NOT NULL,
  -- 'answered' (a human connected or replied), 'abandoned' (hung up, left), 'closed' (resolved without a human
  -- answer: spam, solved by an automatic reply), 'waiting' (no outcome yet)
  outcome text NOT NULL,
  queued boolean NOT NULL,
  -- Reported figure: queue entry until the answer (0 when answered without queueing) or the hang-up in the queue.
  queue_wait_s double precision,
  -- Lived figure: first touch (voice menu included) until a human or the hang-up.
  lived_wait_s double precision,
  events integer NOT NULL,
  definition smallint NOT NULL,
  PRIMARY KEY (account_id, contact_id)
);
CREATE INDEX contact_facts_time ON contact_facts (account_id, first_touch_at);
CREATE INDEX contact_facts_day ON contact_facts (account_id, local_day);
CREATE INDEX contact_facts_journey ON contact_facts (account_id, who, window_key, first_touch_at) WHERE who IS NOT NULL;

-- Days whose sketches must be rebuilt. Append-only from writers (no conflicts, no row locks on a hot row); the
-- refresh deletes what it has read, so a writer that commits later leaves its marker for the next refresh.
CREATE TABLE wait_sketch_dirty (
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  local_day date NOT NULL
);
CREATE INDEX wait_sketch_dirty_account ON wait_sketch_dirty (account_id);

-- Mergeable summaries per (hour, queue, channel): dashboards merge these instead of reading every contact, so their
-- cost does not grow with history. Counts and sums are exact; the percentiles come from DDSketch (1 % relative error).
CREATE TABLE wait_sketches (
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  local_day date NOT NULL,
  hour timestamptz NOT NULL,
  queue_id uuid,
  channel text NOT NULL,
  contacts integer NOT NULL,
  answered integer NOT NULL,
  queued integer NOT NULL,
  abandoned_in_queue integer NOT NULL,
  answered_queue_wait_sum double precision NOT NULL,
  journeys_answered integer NOT NULL,
  journeys_never_served integer NOT NULL,
  journeys_multi_attempt integer NOT NULL,
  -- {"lived": sketch, "queueWait": sketch, "journey": sketch, "multi": sketch}; see journeys/sketch.ts
  sketches jsonb NOT NULL
);
CREATE INDEX wait_sketches_hour ON wait_sketches (account_id, hour);
CREATE INDEX wait_sketches_day ON wait_sketches (account_id, local_day);
