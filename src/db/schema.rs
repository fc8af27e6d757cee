// The tables of both databases (the migrations under migrations/sqlite and
// migrations/postgres create the same columns with the same names).

diesel::table! {
    editions (id) {
        id -> Text,
        slug -> Text,
        number -> Integer,
        year -> Integer,
        title -> Text,
        theme -> Text,
        venue -> Text,
        timezone -> Text,
        revision -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    edition_days (edition_id, day) {
        edition_id -> Text,
        day -> Date,
    }
}

diesel::table! {
    rooms (id) {
        id -> Text,
        edition_id -> Text,
        key -> Text,
        name -> Text,
        capacity -> Integer,
        position -> Integer,
    }
}

diesel::table! {
    people (id) {
        id -> Text,
        edition_id -> Text,
        key -> Text,
        name -> Text,
        function -> Text,
        organisation -> Text,
        country -> Text,
        position -> Integer,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        edition_id -> Text,
        key -> Text,
        kind -> Text,
        title -> Text,
        summary -> Text,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        room_id -> Nullable<Text>,
        languages -> Text,
        partners -> Text,
        capacity -> Nullable<Integer>,
        position -> Integer,
    }
}

diesel::table! {
    session_people (session_id, person_id, role) {
        session_id -> Text,
        person_id -> Text,
        role -> Text,
        position -> Integer,
    }
}

diesel::table! {
    staff_users (id) {
        id -> Text,
        email -> Text,
        password_hash -> Text,
        role -> Text,
        active -> Bool,
        created_at -> Timestamp,
        display_name -> Text,
    }
}

diesel::table! {
    staff_sessions (token_hash) {
        token_hash -> Text,
        user_id -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Text,
        user_id -> Text,
        token_hash -> Text,
        label -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        expires_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    registration_settings (edition_id) {
        edition_id -> Text,
        opens_at -> Nullable<Timestamp>,
        closes_at -> Nullable<Timestamp>,
        capacity -> Nullable<Integer>,
        confirmed -> Integer,
        privacy_notice -> Text,
        retention_days -> Integer,
        badge_key_id -> Text,
        badge_public_key -> Text,
        badge_secret_key -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    registrations (id) {
        id -> Text,
        edition_id -> Text,
        public_ref -> Text,
        status -> Text,
        category -> Text,
        person_id -> Nullable<Text>,
        civility -> Text,
        first_name -> Text,
        last_name -> Text,
        email -> Text,
        email_key -> Nullable<Text>,
        function -> Text,
        organisation -> Text,
        organisation_type -> Text,
        country -> Text,
        cuf_member -> Bool,
        days -> Text,
        lunch -> Bool,
        accessibility -> Text,
        lang -> Text,
        consent_photo -> Bool,
        consented_at -> Timestamp,
        source -> Text,
        invited -> Bool,
        badge_version -> Integer,
        manage_version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        cancelled_at -> Nullable<Timestamp>,
        erased_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    registration_sessions (registration_id, session_id) {
        registration_id -> Text,
        session_id -> Text,
        status -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    session_seats (session_id) {
        session_id -> Text,
        taken -> Integer,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        edition_id -> Text,
        registration_id -> Nullable<Text>,
        kind -> Text,
        recipient -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        last_error -> Text,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        claimed_by -> Nullable<Text>,
        lease_until -> Nullable<Timestamp>,
        payload -> Text,
        send_after -> Nullable<Timestamp>,
    }
}

diesel::table! {
    checkins (id) {
        id -> Text,
        edition_id -> Text,
        registration_id -> Text,
        day -> Date,
        at -> Timestamp,
        desk -> Text,
        staff_id -> Nullable<Text>,
        method -> Text,
        undone_at -> Nullable<Timestamp>,
        undone_by -> Nullable<Text>,
    }
}

diesel::table! {
    scans (nonce) {
        nonce -> Text,
        edition_id -> Nullable<Text>,
        registration_id -> Nullable<Text>,
        session_id -> Nullable<Text>,
        desk -> Text,
        staff_id -> Nullable<Text>,
        scanned_at -> Timestamp,
        received_at -> Timestamp,
        result -> Text,
        reason -> Text,
        checkin_id -> Nullable<Text>,
        conflict -> Bool,
        subject -> Nullable<Text>,
    }
}

diesel::table! {
    attendances (registration_id, session_id) {
        registration_id -> Text,
        session_id -> Text,
        edition_id -> Text,
        first_at -> Timestamp,
        last_at -> Timestamp,
        entries -> Integer,
        desk -> Text,
    }
}

diesel::table! {
    desk_log (id) {
        id -> Text,
        edition_id -> Text,
        registration_id -> Nullable<Text>,
        at -> Timestamp,
        staff_id -> Nullable<Text>,
        desk -> Text,
        action -> Text,
        detail -> Text,
    }
}

diesel::joinable!(edition_days -> editions (edition_id));
diesel::joinable!(rooms -> editions (edition_id));
diesel::joinable!(people -> editions (edition_id));
diesel::joinable!(sessions -> editions (edition_id));
diesel::joinable!(sessions -> rooms (room_id));
diesel::joinable!(session_people -> sessions (session_id));
diesel::joinable!(session_people -> people (person_id));
diesel::joinable!(staff_sessions -> staff_users (user_id));
diesel::joinable!(api_tokens -> staff_users (user_id));
diesel::joinable!(registration_settings -> editions (edition_id));
diesel::joinable!(registrations -> editions (edition_id));
diesel::joinable!(registrations -> people (person_id));
diesel::joinable!(registration_sessions -> registrations (registration_id));
diesel::joinable!(registration_sessions -> sessions (session_id));
diesel::joinable!(session_seats -> sessions (session_id));
diesel::joinable!(outbox -> registrations (registration_id));
diesel::joinable!(checkins -> registrations (registration_id));
diesel::joinable!(attendances -> registrations (registration_id));
diesel::joinable!(attendances -> sessions (session_id));

diesel::allow_tables_to_appear_in_same_query!(
    editions,
    edition_days,
    rooms,
    people,
    sessions,
    session_people,
    staff_users,
    staff_sessions,
    api_tokens,
    registration_settings,
    registrations,
    registration_sessions,
    session_seats,
    outbox,
    checkins,
    scans,
    attendances,
    desk_log,
);
