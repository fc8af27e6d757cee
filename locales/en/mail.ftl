# Emails to registrants. `mail_<kind>_subject` takes the edition's title.

mail_greeting = { $civility ->
    [mme] Dear Ms { $last_name },
    [m] Dear Mr { $last_name },
   *[other] Dear { $full_name },
}
mail_confirmed_subject = Registration confirmed: { $title }
mail_confirmed_1 = We are pleased to confirm your registration.
mail_confirmed_2 = Your badge is attached to this message. Show it at the welcome desk, printed or on your phone: its QR code is all you need to get in.
mail_waitlisted_subject = Waiting list: { $title }
mail_waitlisted_1 = All seats are taken for now: your request is on the waiting list, in order of arrival.
mail_waitlisted_2 = As soon as a seat comes free it is given to you automatically, and your badge follows by email.
mail_promoted_subject = A seat came free: registration confirmed, { $title }
mail_promoted_1 = A seat came free and it is yours: your registration is confirmed.
mail_promoted_2 = Your badge is attached to this message.
mail_session_promoted_subject = A seat came free in a session: { $title }
mail_session_promoted_1 = A seat came free in a session you were waiting for; it is now reserved for you. Your sessions are listed below.
mail_manage_link_subject = Your registration: { $title }
mail_manage_link_1 = This address is already registered. Here again is the personal link to view, change or cancel your registration and download your badge.
mail_cancelled_subject = Registration cancelled: { $title }
mail_cancelled_1 = Your registration is cancelled and your badge is no longer valid. If this is a mistake, you can register again while registration is open.
mail_badge_subject = Your new badge: { $title }
mail_badge_1 = Here is your new badge. The previous one is no longer valid: please do not use it.
mail_changed_subject = Your registration was changed: { $title }
mail_changed_confirmed_1 = Your registration was changed. Here are your updated days and sessions, your personal programme (.ics) and your badge.
mail_changed_waitlisted_1 = Your registration was changed. Here are your updated days and sessions; you are still on the waiting list.
