-- Any email goes through the outbox: a row names its kind (the template folder and the
-- composer) and carries what that kind needs as JSON. `registration_id` stays: it ties a
-- message to the person it concerns, so that erasing them takes their unsent messages.
-- A message may wait until `send_after` before it is sent.
ALTER TABLE outbox ADD COLUMN payload TEXT NOT NULL DEFAULT '{}';
ALTER TABLE outbox ADD COLUMN send_after TIMESTAMP;
UPDATE outbox SET payload = '{"registration_id":"' || registration_id || '"}'
    WHERE registration_id IS NOT NULL;
