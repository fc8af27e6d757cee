-- Registrations, their session choices, seat counters, the email outbox and badge keys.

-- One row per edition, made when the edition is first asked about registration.
-- `confirmed` is the edition's seat counter: a registration takes a seat with a conditional
-- UPDATE on it, so that two registrants can never both take the last seat.
CREATE TABLE registration_settings (
    edition_id TEXT PRIMARY KEY NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    opens_at TIMESTAMP,
    closes_at TIMESTAMP,
    capacity INTEGER,
    confirmed INTEGER NOT NULL DEFAULT 0,
    privacy_notice TEXT NOT NULL DEFAULT '',
    retention_days INTEGER NOT NULL DEFAULT 365,
    badge_key_id TEXT NOT NULL UNIQUE,
    badge_public_key TEXT NOT NULL,
    badge_secret_key TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE registrations (
    id TEXT PRIMARY KEY NOT NULL,
    edition_id TEXT NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    public_ref TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    category TEXT NOT NULL,
    person_id TEXT REFERENCES people(id) ON DELETE SET NULL,
    civility TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    email TEXT NOT NULL,
    email_key TEXT,
    function TEXT NOT NULL,
    organisation TEXT NOT NULL,
    organisation_type TEXT NOT NULL,
    country TEXT NOT NULL,
    cuf_member BOOLEAN NOT NULL,
    days TEXT NOT NULL,
    lunch BOOLEAN NOT NULL,
    accessibility TEXT NOT NULL,
    lang TEXT NOT NULL,
    consent_photo BOOLEAN NOT NULL,
    consented_at TIMESTAMP NOT NULL,
    source TEXT NOT NULL,
    invited BOOLEAN NOT NULL DEFAULT FALSE,
    badge_version INTEGER NOT NULL DEFAULT 1,
    manage_version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    cancelled_at TIMESTAMP,
    erased_at TIMESTAMP,
    UNIQUE (edition_id, email_key)
);
CREATE INDEX registrations_edition_status ON registrations (edition_id, status, created_at);

-- The parallel sessions a registrant means to follow. `created_at` orders a session's
-- waiting list; `pending` choices belong to registrations still on the edition's list.
CREATE TABLE registration_sessions (
    registration_id TEXT NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (registration_id, session_id)
);
CREATE INDEX registration_sessions_session ON registration_sessions (session_id, status, created_at);

-- Seats taken per session, the counter the conditional UPDATE guards.
CREATE TABLE session_seats (
    session_id TEXT PRIMARY KEY NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    taken INTEGER NOT NULL DEFAULT 0
);

-- Emails to send. A row commits with the change it announces; a worker sends it later.
-- The id is the Message-ID's local part, so a resent message keeps its identity.
CREATE TABLE outbox (
    id TEXT PRIMARY KEY NOT NULL,
    edition_id TEXT NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    registration_id TEXT REFERENCES registrations(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_registration ON outbox (registration_id);
