ALTER TABLE outbox DROP COLUMN lease_until;
ALTER TABLE outbox DROP COLUMN claimed_by;
