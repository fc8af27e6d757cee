-- The welcome desk: check-ins per person and day, every scan as it reached the server,
-- session attendance at room doors, and the desk's log of corrections.

-- One active check-in per registration and day; an undone check-in stays, marked, for the
-- log, and no longer blocks a new one.
CREATE TABLE checkins (
    id TEXT PRIMARY KEY NOT NULL,
    edition_id TEXT NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    registration_id TEXT NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    day DATE NOT NULL,
    at TIMESTAMP NOT NULL,
    desk TEXT NOT NULL,
    staff_id TEXT,
    method TEXT NOT NULL,
    undone_at TIMESTAMP,
    undone_by TEXT
);
CREATE UNIQUE INDEX checkins_once_a_day ON checkins (registration_id, day) WHERE undone_at IS NULL;
CREATE INDEX checkins_edition_day ON checkins (edition_id, day, at);

-- Every scan, keyed by the nonce the desk made for it: a retried request finds its first
-- answer here instead of counting twice. `conflict` marks a late (offline) scan of a badge
-- already used at another desk.
CREATE TABLE scans (
    nonce TEXT PRIMARY KEY NOT NULL,
    edition_id TEXT REFERENCES editions(id) ON DELETE CASCADE,
    registration_id TEXT REFERENCES registrations(id) ON DELETE CASCADE,
    session_id TEXT REFERENCES sessions(id) ON DELETE CASCADE,
    desk TEXT NOT NULL,
    staff_id TEXT,
    scanned_at TIMESTAMP NOT NULL,
    received_at TIMESTAMP NOT NULL,
    result TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    checkin_id TEXT,
    conflict BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX scans_edition ON scans (edition_id, conflict, received_at);

-- Who went into which session: one row per person and session, re-entries counted.
CREATE TABLE attendances (
    registration_id TEXT NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    edition_id TEXT NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    first_at TIMESTAMP NOT NULL,
    last_at TIMESTAMP NOT NULL,
    entries INTEGER NOT NULL DEFAULT 1,
    desk TEXT NOT NULL,
    PRIMARY KEY (registration_id, session_id)
);
CREATE INDEX attendances_edition ON attendances (edition_id, session_id);

-- What the desk corrected, and who: undone check-ins, re-printed badges, walk-ins.
CREATE TABLE desk_log (
    id TEXT PRIMARY KEY NOT NULL,
    edition_id TEXT NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    registration_id TEXT REFERENCES registrations(id) ON DELETE CASCADE,
    at TIMESTAMP NOT NULL,
    staff_id TEXT,
    desk TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX desk_log_edition ON desk_log (edition_id, at);
