DROP TABLE outbox;
DROP TABLE session_seats;
DROP TABLE registration_sessions;
DROP TABLE registrations;
DROP TABLE registration_settings;
