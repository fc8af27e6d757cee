-- A message being sent names the process sending it and until when that claim holds: a
-- restarted server then leaves the messages of the others alone, and a message whose
-- claim expired (its sender died mid-conversation) is held for a person to check.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN lease_until TIMESTAMP;
