ALTER TABLE outbox DROP COLUMN send_after;
ALTER TABLE outbox DROP COLUMN payload;
