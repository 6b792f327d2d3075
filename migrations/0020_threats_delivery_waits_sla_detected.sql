-- Issue 13 (items 5 and 15): threats against staff, delivery waits apart from queue waits, SLA breaches stamped at
-- the due time with the time they were detected kept apart.

-- What a wait claim waited for: 'queue' (us: a reply, the phone, the chat) or 'delivery' (an order, a parcel, a
-- refund, a repair). Rows analysed before this was known are queue claims, as they were counted.
ALTER TABLE message_findings ADD COLUMN wait_kind text NOT NULL DEFAULT 'queue' CHECK (wait_kind IN ('queue', 'delivery'));
ALTER TABLE anecdote_checks ADD COLUMN claim text NOT NULL DEFAULT 'queue' CHECK (claim IN ('queue', 'delivery'));
-- A delivery claim is held against the customer's conversations' resolution time (created → solved, or → the
-- message while still open), not against queue waits.
ALTER TABLE anecdote_checks ADD COLUMN measured_resolution_seconds double precision;

-- breached_at is the moment the target was missed (the due time); detected_at is when the check ran (a server that
-- was down at the due time detects it later).
ALTER TABLE sla_breaches ADD COLUMN detected_at timestamptz;
UPDATE sla_breaches SET detected_at = breached_at, breached_at = due_at;
ALTER TABLE sla_breaches ALTER COLUMN detected_at SET NOT NULL;
