# Messages of the API and of form checks: errors, field problems, check-in verdicts.

## Check-in requests
checkin_invalid_nonce = Invalid scan id: 8 to 64 letters, digits, "-" or "_".
checkin_invalid_desk = Name the desk (1 to 40 characters).
checkin_invalid_time = Unreadable scan time (RFC 3339 expected).
checkin_token_or_registration = Send either the badge's code (token) or a registration found by search.
checkin_edition_required = Say which edition this desk serves.
checkin_unknown_session = This session is not in this programme: { $key }
checkin_time_out_of_range = Scan time too far from the edition: check the device's clock.

## Check-in verdicts
verdict_entry = Entry recorded: { $session }
verdict_welcome = Welcome, { $name }!
verdict_reentry = Re-entry: first entered at { $time } ({ $desk }).
verdict_already = Already checked in today at { $time } ({ $desk }).
verdict_conflict = Conflict: this badge was also used at another desk while offline.
verdict_malformed = This code is not a badge of this event.
verdict_forged = Invalid badge: its signature does not match (forged or misread).
verdict_waitlisted = On the waiting list: no confirmed seat.
verdict_unknown = Unknown badge: issued elsewhere, or the registration was erased.
verdict_revoked = Badge replaced: a newer badge has been printed since.
verdict_cancelled = Registration cancelled.
verdict_wrong_day = Registered for another day: { $days }.
verdict_not_event_day = Today is not a day of the event.
verdict_wrong_edition = Badge of another edition of the event.

## API errors (`message` of `{code, message}`)
api_not_found = not found
api_unauthenticated = authentication required
api_forbidden = this role may not do that
api_csrf = the form has expired or did not come from this site; reload the page and try again
api_rate_limited = too many attempts; wait a few minutes
api_bad_request = the request body is not valid: { $detail }
api_malformed_json = the body is not valid JSON: { $detail }
api_unsupported_media_type = this endpoint takes a JSON body: send it with Content-Type: application/json
api_nonce_reused = this nonce was already used for another scan; make a new nonce for each scan
api_validation = some fields are invalid
api_conflicts = the change creates conflicts in the programme
api_stale = someone else changed this in the meantime; reload to see their version, then redo your change
api_registration_not_open = registration for this edition is not open yet
api_registration_closed = registration for this edition is closed
api_already_registered = this email address is already registered for this edition; its manage link is emailed to it again (at most every ten minutes)
api_edition_full = no seat is left at this edition
api_already_exists = already exists
api_internal = internal error; it has been logged
api_refused = the request was refused: { $detail }
api_method_not_allowed = this path does not take this method; it takes { $methods }
api_payload_too_large = the request body is larger than the limit of { $limit } bytes

## Refusals: what is in use or exists already
in_use_account = { $email } already has an account
in_use_slug = an edition already uses the slug { $slug }
in_use_room = Room { $room } still holds sessions { $sessions }: move them first.
in_use_cancelled_registration = this registration is cancelled; register again instead
in_use_registration_cancelled = this registration is cancelled
in_use_erased = this person's data was erased
in_use_badge_needs_confirmed = only a confirmed registration has a badge
in_use_checkin_undone = this check-in was already undone

## Registration form
form_required = This field is required.
form_too_long = At most { $max } characters.
form_invalid_characters = This text contains invisible characters; type it again.
form_choose = Choose an answer.
form_invalid_choice = Unknown answer; choose one of: { $codes }.
form_invalid_email = This address is not valid (for example: first.last@city.gov).
form_choose_country = Choose a country.
form_unknown_country = Unknown country; pick it from the list.
form_unknown_day = { $day } is not a day of the event.
form_days_required = Tick at least one day.
form_unknown_language = Unknown language; choose fr, en or es.
form_consent_required = Registration needs your agreement to the privacy notice.
form_unknown_session = Session "{ $key }" is not in this programme.
form_not_choosable = "{ $title }" is open to everyone: no need to choose it.
form_day_not_attended = "{ $title }" takes place on a day you did not tick.
form_same_slot = "{ $title }" and "{ $other }" take place at the same time: choose one.
form_email_taken = Another registration already uses this address.

## Registration settings
settings_negative_capacity = Capacity cannot be negative.
settings_closes_before_opening = Registration must close after it opens.
settings_date_out_of_range = Choose a date between { $from } and { $to }.
settings_retention_out_of_range = Between 0 and 3650 days.
