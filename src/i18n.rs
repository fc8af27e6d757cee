//! The interface speaks French first and English too. Content (titles, abstracts) is shown
//! as the organiser wrote it; only the interface text is translated here.

use actix_web::HttpRequest;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Fr,
    En,
}

pub const LANG_COOKIE: &str = "lang";

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "fr" => Some(Lang::Fr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Fr => Lang::En,
            Lang::En => Lang::Fr,
        }
    }

    /// The language asked for in the query (`?lang=en`), else the remembered one (cookie),
    /// else the browser's first preference between the two, else French.
    pub fn of(req: &HttpRequest) -> Lang {
        if let Some(l) = query_lang(req.query_string()) {
            return l;
        }
        if let Some(l) = req.cookie(LANG_COOKIE).and_then(|c| Lang::parse(c.value())) {
            return l;
        }
        req.headers()
            .get(actix_web::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.split(',')
                    .map(|tag| tag.trim().get(..2).unwrap_or("").to_ascii_lowercase())
                    .find_map(|tag| Lang::parse(&tag))
            })
            .unwrap_or(Lang::Fr)
    }

    /// One of two texts written in place, French first.
    pub fn pick<'a>(self, fr: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Fr => fr,
            Lang::En => en,
        }
    }

    /// Interface text for `key`; the key itself when it is missing (a test keeps them all).
    pub fn t(self, key: &str) -> &'static str {
        match (lookup(key), self) {
            (Some((fr, _)), Lang::Fr) => fr,
            (Some((_, en)), Lang::En) => en,
            (None, _) => "??",
        }
    }
}

/// The `lang` value of a query string, if it names a language we speak.
pub fn query_lang(query: &str) -> Option<Lang> {
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("lang="))
        .and_then(Lang::parse)
}

/// The name of an ISO 639-1 language, for the languages of a session.
pub fn language_name(code: &str, lang: Lang) -> String {
    let (fr, en) = match code {
        "fr" => ("français", "French"),
        "en" => ("anglais", "English"),
        "es" => ("espagnol", "Spanish"),
        "pt" => ("portugais", "Portuguese"),
        "ar" => ("arabe", "Arabic"),
        "de" => ("allemand", "German"),
        "it" => ("italien", "Italian"),
        "ja" => ("japonais", "Japanese"),
        "he" => ("hébreu", "Hebrew"),
        "zh" => ("chinois", "Chinese"),
        "ru" => ("russe", "Russian"),
        other => return other.to_uppercase(),
    };
    match lang {
        Lang::Fr => fr.into(),
        Lang::En => en.into(),
    }
}

macro_rules! messages {
    ($($key:literal => $fr:literal, $en:literal;)*) => {
        fn lookup(key: &str) -> Option<(&'static str, &'static str)> {
            match key {
                $($key => Some(($fr, $en)),)*
                _ => None,
            }
        }
    };
}

messages! {
    "skip_to_content" => "Aller au contenu", "Skip to content";
    "nav_label" => "Navigation principale", "Main navigation";
    "nav_admin" => "Administration", "Administration";
    "nav_desk" => "Accueil", "Welcome desk";
    "nav_staff" => "Équipe", "Staff";
    "nav_organisers" => "Espace organisateurs", "Organisers";
    "logout" => "Se déconnecter", "Log out";
    "desk_title" => "Accueil", "Welcome desk";
    "desk_choose_edition" => "Choisissez l'édition que ce poste accueille.", "Choose the edition this desk welcomes.";
    "desk_open" => "Ouvrir l'accueil", "Open the desk";
    "desk_skip" => "Aller au champ de scan", "Skip to the scan field";
    "desk_station" => "Poste", "Desk";
    "desk_station_placeholder" => "ex. Accueil 1", "e.g. Desk 1";
    "desk_station_first" => "Donnez d'abord un nom à ce poste (par exemple « Accueil 1 ») : il figure dans l'historique de chaque arrivée.", "First give this desk a name (for example \"Desk 1\"): it is recorded with every arrival.";
    "desk_mode" => "Mode", "Mode";
    "desk_mode_day" => "Accueil", "Arrivals";
    "desk_mode_session" => "Session (porte de salle)", "Session (room door)";
    "desk_session" => "Session", "Session";
    "desk_session_choose" => "Choisir la session…", "Choose the session…";
    "desk_scan_label" => "Scanner un badge", "Scan a badge";
    "desk_scan_hint" => "Le lecteur tape le code et valide tout seul. Sans lecteur : la caméra.", "The scanner types the code and presses Enter by itself. No scanner: use the camera.";
    "desk_scan_placeholder" => "En attente d'un badge…", "Waiting for a badge…";
    "desk_camera" => "Caméra", "Camera";
    "desk_camera_title" => "Scanner avec la caméra", "Scan with the camera";
    "desk_camera_hint" => "Placez le QR code du badge dans le cadre.", "Hold the badge's QR code inside the frame.";
    "desk_camera_denied" => "Caméra indisponible : autorisez-la dans le navigateur (la page doit être en HTTPS).", "Camera unavailable: allow it in the browser (the page must be served over HTTPS).";
    "desk_close" => "Fermer", "Close";
    "desk_recent" => "Derniers passages", "Recent scans";
    "desk_recent_empty" => "Aucun passage pour l'instant.", "No scan yet.";
    "desk_no_badge" => "Pas de badge ?", "No badge?";
    "desk_no_badge_hint" => "Cherchez la personne par son nom ou son organisation.", "Search for the person by name or organisation.";
    "desk_search_label" => "Nom ou organisation", "Name or organisation";
    "desk_walkin" => "Sans inscription ?", "Not registered?";
    "desk_walkin_hint" => "Inscription sur place : la personne est enregistrée et son badge s'imprime aussitôt.", "On-the-spot registration: the person is checked in and their badge prints at once.";
    "desk_optional" => "facultatif", "optional";
    "desk_lunch" => "Déjeune sur place", "Has lunch on site";
    "desk_walkin_submit" => "Inscrire et imprimer le badge", "Register and print the badge";
    "desk_override_capacity" => "Place au-delà de la capacité", "Seat beyond capacity";
    "desk_override_capacity_hint" => "Inscrit la personne même si l'édition est complète.", "Registers the person even when the edition is full.";
    "desk_session_expired" => "Session expirée — reconnectez-vous", "Session expired — log in again";
    "desk_tap_to_close" => "Touchez l'écran pour fermer", "Tap anywhere to close";
    "desk_conflicts" => "Conflits à vérifier", "Conflicts to check";
    "desk_dismiss" => "Masquer", "Dismiss";
    "desk_online" => "En ligne", "Online";
    "desk_offline" => "Hors ligne", "Offline";
    "desk_logged_out" => "Déconnecté·e", "Logged out";
    "desk_queue_none" => "Aucun scan en attente", "No scan waiting";
    "desk_queue_one" => "1 scan en attente d'envoi", "1 scan waiting to be sent";
    "desk_queue_many" => "{n} scans en attente d'envoi", "{n} scans waiting to be sent";
    "desk_roster_info" => "Liste locale : {n} personnes, mise à jour à {time}", "Local list: {n} people, updated at {time}";
    "desk_roster_none" => "Liste locale pas encore téléchargée", "Local list not downloaded yet";
    "desk_checking" => "Vérification…", "Checking…";
    "desk_welcome" => "Bienvenue", "Welcome";
    "desk_reentry" => "Re-entrée", "Re-entry";
    "desk_reentry_detail" => "Déjà entré·e dans cette session : passage compté une fois.", "Already entered this session: counted once.";
    "desk_already" => "Déjà enregistré·e", "Already checked in";
    "desk_first_checkin" => "{day} à {time} à {desk}", "{day} at {time} at {desk}";
    "desk_by" => "par {by}", "by {by}";
    "desk_today" => "Aujourd'hui", "Today";
    "desk_lunch_yes" => "Déjeuner : oui", "Lunch: yes";
    "desk_lunch_no" => "Déjeuner : non", "Lunch: no";
    "desk_accessibility" => "Besoins d'accessibilité", "Accessibility needs";
    "desk_offline_mark" => "Décidé hors ligne, envoyé dès le retour de la connexion", "Decided offline, sent as soon as the connection is back";
    "desk_offline_kept" => "Décidé hors ligne, rien n'est envoyé", "Decided offline, nothing to send";
    "desk_undo" => "Annuler cet enregistrement", "Undo this check-in";
    "desk_undone" => "Enregistrement annulé", "Check-in undone";
    "desk_override" => "Accueillir quand même", "Welcome anyway";
    "desk_ask_organiser" => "Un·e organisateur·rice peut l'accueillir quand même.", "An organiser can let them in anyway.";
    "desk_invalid" => "Badge non reconnu", "Badge not recognised";
    "desk_invalid_detail" => "Ce code n'est pas un badge valide.", "This code is not a valid badge.";
    "desk_unknown" => "Badge inconnu", "Unknown badge";
    "desk_unknown_detail" => "Ce badge ne correspond à aucune inscription.", "This badge matches no registration.";
    "desk_unknown_offline" => "Absent de la liste locale. Vérifiez l'identité, puis utilisez « Pas de badge ? » quand la connexion revient.", "Not in the local list. Check their identity, then use \"No badge?\" once the connection is back.";
    "desk_revoked" => "Badge remplacé", "Badge replaced";
    "desk_revoked_detail" => "Un nouveau badge a été imprimé : celui-ci n'est plus valable.", "A new badge was printed: this one is no longer valid.";
    "desk_cancelled" => "Inscription annulée", "Registration cancelled";
    "desk_cancelled_detail" => "Cette inscription a été annulée.", "This registration was cancelled.";
    "desk_waitlisted" => "Sur liste d'attente", "On the waiting list";
    "desk_waitlisted_detail" => "Cette personne n'a pas encore de place.", "This person has no seat yet.";
    "desk_wrong_edition" => "Badge d'une autre édition", "Badge from another edition";
    "desk_wrong_edition_detail" => "Ce badge a été émis pour une autre édition des Rencontres.", "This badge was issued for another edition of the Rencontres.";
    "desk_wrong_day" => "Inscrit·e pour un autre jour", "Registered for another day";
    "desk_wrong_day_detail" => "Inscrit·e pour : {days}", "Registered for: {days}";
    "desk_not_event_day" => "Pas un jour des Rencontres", "Not a day of the Rencontres";
    "desk_not_event_day_detail" => "Ce n'est pas un jour des Rencontres.", "Today is not a day of the Rencontres.";
    "desk_unverified" => "Vérification impossible", "Cannot check";
    "desk_unverified_detail" => "Pas de connexion et pas de liste locale. Vérifiez l'identité et notez le nom.", "No connection and no local list. Check their identity and write the name down.";
    "desk_error" => "Refusé par le serveur", "Refused by the server";
    "desk_need_session" => "Choisissez d'abord la session de cette porte.", "First choose the session of this door.";
    "desk_sync_title" => "Scans hors ligne envoyés : {n}", "Offline scans sent: {n}";
    "desk_sync_failed" => "refusé", "refused";
    "desk_conflict" => "Conflit : badge de {name} utilisé aussi à {desk} à {time}", "Conflict: {name}'s badge also used at {desk} at {time}";
    "desk_search_none" => "Personne ne correspond.", "Nobody matches.";
    "desk_search_offline" => "Hors ligne : recherche dans la liste locale.", "Offline: searching the local list.";
    "desk_checked_in_at" => "Déjà enregistré·e à {time}", "Checked in at {time}";
    "desk_check_in" => "Enregistrer l'arrivée", "Check in";
    "desk_reprint" => "Réimprimer le badge", "Reprint the badge";
    "desk_reprint_confirm" => "Confirmer : l'ancien badge ne marchera plus", "Confirm: the old badge will stop working";
    "desk_printing" => "Impression du badge…", "Printing the badge…";
    "desk_badge_link" => "Ouvrir le badge (PDF)", "Open the badge (PDF)";
    "desk_needs_connection" => "Il faut une connexion pour cela.", "This needs a connection.";
    "desk_no_answer" => "Le serveur ne répond pas. Réessayez.", "The server does not answer. Try again.";
    "desk_edition_full" => "L'édition est complète : il ne reste aucune place.", "The edition is full: no seat is left.";
    "desk_edition_full_organiser" => "Un·e organisateur·rice peut cocher « Place au-delà de la capacité ».", "An organiser can tick \"Seat beyond capacity\".";
    "desk_check_fields" => "Vérifiez les champs signalés.", "Check the marked fields.";
    "desk_walkin_done" => "{name} est inscrit·e ; le badge s'imprime.", "{name} is registered; the badge is printing.";
    "other_language" => "English", "Français";
    "footer" => "Rencontres : programme, inscriptions et accueil des participants.", "Rencontres: programme, registration and welcome desk.";
    "error" => "Erreur", "Error";
    "back_home" => "Retour à l'accueil", "Back to the home page";
    "error_not_found" => "Cette page n'existe pas.", "This page does not exist.";
    "error_forbidden" => "Votre rôle ne permet pas d'accéder à cette page.", "Your role does not give access to this page.";
    "error_csrf" => "Le formulaire a expiré ou ne vient pas de ce site. Rechargez la page et recommencez.", "The form has expired or did not come from this site. Reload the page and try again.";
    "error_rate_limited" => "Trop de tentatives. Patientez quelques minutes avant de réessayer.", "Too many attempts. Wait a few minutes before trying again.";
    "error_unauthenticated" => "Connectez-vous pour continuer.", "Log in to continue.";
    "error_bad_request" => "La demande est incomplète ou mal formée.", "The request is incomplete or malformed.";
    "error_conflict" => "Cette opération n'est pas possible en l'état.", "This cannot be done as things stand.";
    "error_internal" => "Une erreur interne est survenue ; elle a été enregistrée.", "An internal error occurred; it has been logged.";
    "error_method_not_allowed" => "Cette adresse existe, mais pas pour cette action.", "This address exists, but not for this action.";
    "error_too_large" => "L'envoi est trop volumineux.", "What was sent is too large.";
    "editions" => "Éditions", "Editions";
    "no_editions" => "Aucune édition pour le moment.", "No edition yet.";
    "programme" => "Programme", "Programme";
    "add_calendar" => "Ajouter le programme à mon agenda (.ics)", "Add the programme to my calendar (.ics)";
    "add_calendar_one" => "Ajouter à mon agenda (.ics)", "Add to my calendar (.ics)";
    "filters" => "Filtrer le programme", "Filter the programme";
    "day" => "Jour", "Day";
    "all_days" => "Tous les jours", "All days";
    "kind" => "Type", "Kind";
    "all_kinds" => "Tous les types", "All kinds";
    "room" => "Salle", "Room";
    "all_rooms" => "Toutes les salles", "All rooms";
    "filter" => "Filtrer", "Filter";
    "reset" => "Tout afficher", "Show all";
    "nothing_matches" => "Aucune session ne correspond à ces filtres.", "No session matches these filters.";
    "in_parallel" => "sessions en parallèle", "parallel sessions";
    "moderation" => "Animation", "Moderator";
    "speaker_one" => "intervenant·e", "speaker";
    "speaker_many" => "intervenant·es", "speakers";
    "when" => "Quand", "When";
    "languages" => "Langues", "Languages";
    "partners" => "Partenaires", "Partners";
    "abstract" => "Résumé", "Abstract";
    "their_sessions" => "Sessions", "Sessions";
    "seats" => "places", "seats";
    "login_title" => "Connexion de l'équipe", "Staff login";
    "email" => "Adresse e-mail", "Email address";
    "password" => "Mot de passe", "Password";
    "nav_password" => "Mot de passe", "Password";
    "password_change_title" => "Changer mon mot de passe", "Change my password";
    "password_current" => "Mot de passe actuel", "Current password";
    "password_new" => "Nouveau mot de passe", "New password";
    "password_again" => "Nouveau mot de passe, encore", "New password, again";
    "password_change" => "Changer le mot de passe", "Change the password";
    "password_other_sessions" => "Vos autres sessions ouvertes (autres navigateurs, autres postes) seront fermées.", "Your other open sessions (other browsers, other computers) will be closed.";
    "password_changed" => "Mot de passe changé. Vos autres sessions sont fermées.", "Password changed. Your other sessions are closed.";
    "password_not_changed" => "Le mot de passe n'a pas été changé.", "The password was not changed.";
    "password_wrong" => "Ce n'est pas le mot de passe actuel.", "This is not the current password.";
    "password_too_short" => "10 caractères au moins.", "At least 10 characters.";
    "password_too_long" => "256 caractères au plus.", "At most 256 characters.";
    "password_mismatch" => "Les deux nouveaux mots de passe diffèrent.", "The two new passwords differ.";
    "login" => "Se connecter", "Log in";
    "login_failed" => "Adresse ou mot de passe incorrect.", "Wrong email address or password.";
    "dashboard" => "Administration", "Administration";
    "new_edition" => "Nouvelle édition", "New edition";
    "edition" => "Édition", "Edition";
    "rooms" => "Salles", "Rooms";
    "people" => "Intervenant·es", "People";
    "sessions" => "Sessions", "Sessions";
    "grid" => "Grille", "Grid";
    "public_page" => "Page publique", "Public page";
    "export_json" => "Exporter (JSON)", "Export (JSON)";
    "slug" => "Identifiant (URL)", "Identifier (URL)";
    "slug_hint" => "Minuscules, chiffres et tirets, ex. raict-2024", "Lowercase letters, digits and hyphens, e.g. raict-2024";
    "number" => "Numéro", "Number";
    "year" => "Année", "Year";
    "title" => "Titre", "Title";
    "theme" => "Fil conducteur", "Theme";
    "venue" => "Lieu", "Venue";
    "timezone" => "Fuseau horaire", "Time zone";
    "days" => "Jours", "Days";
    "days_hint" => "Dates AAAA-MM-JJ séparées par des virgules", "Dates YYYY-MM-DD separated by commas";
    "save" => "Enregistrer", "Save";
    "create" => "Créer", "Create";
    "delete" => "Supprimer", "Delete";
    "edit" => "Modifier", "Edit";
    "add" => "Ajouter", "Add";
    "saved" => "Modifications enregistrées.", "Changes saved.";
    "key" => "Clé", "Key";
    "key_hint" => "Minuscules, chiffres, - et _ ; sert dans les adresses", "Lowercase letters, digits, - and _; used in addresses";
    "name" => "Nom", "Name";
    "capacity" => "Capacité", "Capacity";
    "function" => "Fonction", "Function";
    "organisation" => "Organisation", "Organisation";
    "country" => "Pays", "Country";
    "new_room" => "Nouvelle salle", "New room";
    "new_person" => "Nouvelle personne", "New person";
    "new_session" => "Nouvelle session", "New session";
    "start" => "Début", "Start";
    "end" => "Fin", "End";
    "languages_hint" => "Codes séparés par des virgules, ex. fr, es", "Codes separated by commas, e.g. fr, es";
    "partners_hint" => "Une organisation par ligne", "One organisation per line";
    "capacity_hint" => "Vide : la capacité de la salle", "Empty: the room's capacity";
    "no_room" => "Sans salle", "No room";
    "roles_in_session" => "Intervenant·es et rôles", "People and roles";
    "role" => "Rôle", "Role";
    "nobody" => "—", "—";
    "conflicts" => "Conflits", "Conflicts";
    "no_conflicts" => "Aucun conflit.", "No conflicts.";
    "conflicts_found" => "Cette modification crée des conflits :", "This change creates conflicts:";
    "force_save" => "Enregistrer malgré ces conflits", "Save despite these conflicts";
    "fix_errors" => "Corrigez les champs signalés :", "Please correct the fields below:";
    "confirm_delete" => "Supprimer définitivement", "Delete for good";
    "sessions_count" => "sessions", "sessions";
    "staff" => "Équipe", "Staff";
    "new_staff" => "Nouveau compte", "New account";
    "active" => "Actif", "Active";
    "password_hint" => "10 caractères au moins", "At least 10 characters";
    "role_admin" => "Administration", "Admin";
    "role_organiser" => "Organisation", "Organiser";
    "role_desk" => "Accueil", "Welcome desk";
    "you" => "vous", "you";
    "grid_legend" => "Les sessions en conflit sont encadrées en rouge.", "Sessions in conflict are outlined in red.";
    "time" => "Heure", "Time";
    "actions" => "Actions", "Actions";
    "stale" => "Quelqu'un a modifié cet élément entre-temps : rechargez la page pour voir sa version, puis refaites votre modification.", "Someone else changed this in the meantime: reload the page to see their version, then redo your change.";
    "edit_room" => "Modifier la salle", "Edit room";
    "conflict_marker" => "en conflit", "in conflict";
    "import_title" => "Importer un programme", "Import a programme";
    "import_lead" => "Collez un document de programme (JSON, le format de l'export). L'édition est créée, ou son programme remplacé, en entier ou pas du tout.", "Paste a programme document (JSON, the export's format). The edition is created, or its programme replaced, whole or not at all.";
    "import_refused" => "Rien n'a été importé. Problèmes trouvés", "Nothing was imported. Problems found";
    "import_conflicts" => "Ce programme contient des conflits :", "This programme has conflicts:";
    "import_document" => "Document de programme (JSON)", "Programme document (JSON)";
    "import_hint_field" => "Chaque problème est indiqué avec son chemin, par exemple sessions[3].end.", "Each problem is given with its path, for example sessions[3].end.";
    "import_button" => "Importer", "Import";
    "import_hint" => "Pour importer un programme complet : rencontres import-programme FICHIER, ou POST /api/v1/programme.", "To import a whole programme: rencontres import-programme FILE, or POST /api/v1/programme.";
    "yes" => "oui", "yes";
    "no" => "non", "no";
    "colon" => " : ", ": ";
    "reg_name" => "Nom", "Name";
    "reg_email" => "Email", "Email";
    "reg_function" => "Fonction", "Function";
    "reg_organisation" => "Organisation", "Organisation";
    "reg_country" => "Pays", "Country";
    "reg_days" => "Jours", "Days";
    "reg_lunch" => "Déjeuner sur place", "Lunch on site";
    "reg_accessibility" => "Besoins d'accessibilité", "Accessibility needs";
    "mail_status" => "Inscription", "Registration";
    "mail_sessions" => "Vos sessions", "Your sessions";
    "mail_manage" => "Gérer mon inscription", "Manage my registration";
    "mail_manage_hint" => "Ce lien personnel permet de consulter, modifier ou annuler votre inscription et de télécharger votre badge. Ne le transmettez pas.", "This personal link lets you view, change or cancel your registration and download your badge. Do not share it.";
    "mail_badge_hint" => "Votre code d'accueil : présentez-le à l'entrée.", "Your welcome code: show it at the entrance.";
    "mail_qr_alt" => "Code QR de votre badge", "QR code of your badge";
    "mail_footer" => "Cités Unies France organise les Rencontres de l'action internationale des collectivités territoriales. Vous recevez ce message parce que vous vous êtes inscrit·e ; vos données ne servent qu'à l'organisation de l'événement.", "Cités Unies France organises the Meetings of local governments' international action. You receive this message because you registered; your data is used only to organise the event.";
    "mail_confirmed_subject" => "Inscription confirmée", "Registration confirmed";
    "mail_confirmed_intro" => "Nous avons le plaisir de confirmer votre inscription.", "We are pleased to confirm your registration.";
    "mail_confirmed_badge" => "Votre badge est joint à ce message. Présentez-le, imprimé ou sur votre téléphone, à l'accueil : son code QR suffit pour entrer.", "Your badge is attached to this message. Show it at the welcome desk, printed or on your phone: its QR code is all you need to get in.";
    "mail_waiting_subject" => "Liste d'attente", "Waiting list";
    "mail_waiting_intro" => "Toutes les places sont prises pour le moment : votre demande est inscrite sur la liste d'attente, dans l'ordre d'arrivée.", "All seats are taken for now: your request is on the waiting list, in order of arrival.";
    "mail_waiting_promise" => "Dès qu'une place se libère, elle vous est attribuée automatiquement et vous recevez votre badge par email.", "As soon as a seat comes free it is given to you automatically, and your badge follows by email.";
    "mail_promoted_subject" => "Une place s'est libérée : inscription confirmée,", "A seat came free: registration confirmed,";
    "mail_promoted_intro" => "Une place s'est libérée et vous revient : votre inscription est confirmée.", "A seat came free and it is yours: your registration is confirmed.";
    "mail_promoted_badge" => "Votre badge est joint à ce message.", "Your badge is attached to this message.";
    "mail_session_promoted_subject" => "Une place s'est libérée dans une session", "A seat came free in a session";
    "mail_session_promoted_intro" => "Une place s'est libérée dans une session que vous attendiez ; elle vous est réservée. Vos sessions sont rappelées ci-dessous.", "A seat came free in a session you were waiting for; it is now reserved for you. Your sessions are listed below.";
    "mail_manage_link_subject" => "Votre inscription", "Your registration";
    "mail_manage_link_intro" => "Cette adresse est déjà inscrite. Voici de nouveau le lien personnel qui permet de consulter, modifier ou annuler votre inscription et de télécharger votre badge.", "This address is already registered. Here again is the personal link to view, change or cancel your registration and download your badge.";
    "mail_cancelled_subject" => "Inscription annulée", "Registration cancelled";
    "mail_cancelled_intro" => "Votre inscription est annulée et votre badge n'est plus valable. Si c'est une erreur, vous pouvez vous inscrire de nouveau tant que les inscriptions sont ouvertes.", "Your registration is cancelled and your badge is no longer valid. If this is a mistake, you can register again while registration is open.";
    "mail_badge_subject" => "Votre nouveau badge", "Your new badge";
    "mail_badge_intro" => "Voici votre nouveau badge. L'ancien n'est plus valable : ne l'utilisez plus.", "Here is your new badge. The previous one is no longer valid: please do not use it.";
    "mail_changed_subject" => "Votre inscription a été modifiée", "Your registration was changed";
    "mail_changed_confirmed" => "Votre inscription a été modifiée. Voici vos jours et vos sessions à jour, votre programme personnel (.ics) et votre badge.", "Your registration was changed. Here are your updated days and sessions, your personal programme (.ics) and your badge.";
    "mail_changed_waiting" => "Votre inscription a été modifiée. Voici vos jours et vos sessions à jour ; vous êtes toujours sur la liste d'attente.", "Your registration was changed. Here are your updated days and sessions; you are still on the waiting list.";
    "reg_title" => "Inscription", "Registration";
    "register" => "S'inscrire", "Register";
    "reg_you" => "Vous", "About you";
    "reg_civility" => "Civilité", "Title";
    "reg_first_name" => "Prénom", "First name";
    "reg_last_name" => "Nom", "Last name";
    "reg_email_hint" => "Votre confirmation, votre badge et votre lien personnel y seront envoyés.", "Your confirmation, badge and personal link will be sent there.";
    "reg_choose" => "Choisir…", "Choose…";
    "reg_organisation_type" => "Type d'organisation", "Type of organisation";
    "reg_country_hint" => "Tapez les premières lettres puis choisissez dans la liste.", "Type the first letters, then pick from the list.";
    "reg_cuf_member" => "Mon organisation est adhérente de Cités Unies France", "My organisation is a member of Cités Unies France";
    "reg_attendance" => "Votre venue", "Your attendance";
    "reg_lunch_question" => "Je déjeunerai sur place", "I will have lunch on site";
    "reg_accessibility_hint" => "Mobilité, audition, vue, régime alimentaire… Les organisateurs seuls le lisent.", "Mobility, hearing, sight, diet… Only the organisers read it.";
    "reg_sessions" => "Sessions parallèles", "Parallel sessions";
    "reg_sessions_hint" => "Une session au plus par créneau. Les plénières sont ouvertes à tous, sans inscription. Quand une session est complète, vous êtes placé·e sur sa liste d'attente.", "One session at most per time slot. Plenaries are open to everyone without sign-up. When a session is full, you join its waiting list.";
    "reg_no_session" => "Aucune session sur ce créneau", "No session in this slot";
    "reg_session_full" => "complète : liste d'attente", "full: waiting list";
    "reg_emails_language" => "Langue de vos emails", "Language of your emails";
    "reg_privacy" => "Vos données", "Your data";
    "reg_consent_privacy" => "J'ai lu la politique de confidentialité ci-dessus et j'accepte le traitement de mes données pour l'organisation de l'événement.", "I have read the privacy notice above and agree to my data being processed to organise the event.";
    "reg_consent_photo" => "J'accepte d'apparaître sur les photos et vidéos de l'événement.", "I agree to appear in the event's photos and videos.";
    "reg_submit" => "Envoyer mon inscription", "Send my registration";
    "reg_submit_waitlist" => "M'inscrire sur la liste d'attente", "Join the waiting list";
    "reg_not_open" => "Les inscriptions ouvriront le", "Registration opens on";
    "reg_closed" => "Les inscriptions sont closes. Pour toute demande, écrivez aux organisateurs.", "Registration is closed. For any request, write to the organisers.";
    "reg_open_until" => "Inscriptions ouvertes jusqu'au", "Registration is open until";
    "reg_full" => "Toutes les places sont prises : votre inscription sera placée sur la liste d'attente, et confirmée automatiquement si une place se libère.", "All seats are taken: your registration will go on the waiting list, and be confirmed automatically if a seat comes free.";
    "reg_fix" => "Corrigez les points suivants ; rien de ce que vous avez saisi n'est perdu.", "Please correct the following; nothing you typed is lost.";
    "reg_already" => "Cette adresse est déjà inscrite. Nous venons de vous renvoyer par email le lien qui permet de consulter et modifier votre inscription.", "This address is already registered. We have just emailed you again the link to view and change your registration.";
    "reg_received" => "Merci, votre demande a bien été reçue.", "Thank you, your request has been received.";
    "manage_title" => "Mon inscription", "My registration";
    "manage_welcome_confirmed" => "Merci ! Votre inscription est confirmée. Un email de confirmation avec votre badge est en route ; gardez-le, il contient le lien vers cette page.", "Thank you! Your registration is confirmed. A confirmation email with your badge is on its way; keep it, it holds the link to this page.";
    "manage_welcome_waitlisted" => "Merci ! Toutes les places sont prises pour le moment : vous êtes sur la liste d'attente. Nous vous écrirons dès qu'une place se libère.", "Thank you! All seats are taken for now: you are on the waiting list. We will write to you as soon as a seat comes free.";
    "manage_saved" => "Vos modifications sont enregistrées.", "Your changes are saved.";
    "manage_waitlisted_hint" => "Vous serez prévenu·e par email dès qu'une place se libère ; elle vous sera attribuée automatiquement.", "You will be told by email as soon as a seat comes free; it will be given to you automatically.";
    "manage_cancelled_hint" => "Cette inscription est annulée. Vous pouvez vous inscrire de nouveau :", "This registration is cancelled. You can register again:";
    "manage_badge" => "Télécharger mon badge (PDF)", "Download my badge (PDF)";
    "manage_ics" => "Mon programme (.ics)", "My programme (.ics)";
    "manage_details" => "Vos informations", "Your details";
    "manage_edit" => "Modifier mon inscription", "Change my registration";
    "manage_cancel" => "Annuler mon inscription", "Cancel my registration";
    "manage_cancel_hint" => "Votre place sera donnée à la première personne en liste d'attente, et votre badge ne sera plus valable.", "Your seat will go to the first person on the waiting list, and your badge will no longer be valid.";
    "manage_cancel_confirm" => "Je confirme l'annulation", "I confirm the cancellation";
    "manage_private" => "Cette page est personnelle : ne transmettez pas son adresse.", "This page is personal: do not share its address.";
    "manage_data" => "Télécharger toutes mes données (JSON)", "Download all my data (JSON)";
    "registrations" => "Inscriptions", "Registrations";
    "registration_settings" => "Réglages des inscriptions", "Registration settings";
    "emails" => "Emails", "Emails";
    "stats" => "Statistiques", "Statistics";
    "stats_json" => "Données (JSON)", "Data (JSON)";
    "stats_headline" => "Le bilan en une phrase", "In one sentence";
    "stats_basis_present" => "Calculé sur les personnes présentes : passées au moins une fois à l'accueil.", "Counted over the people present: checked in at the welcome desk at least once.";
    "stats_basis_registered" => "Aucun passage à l'accueil pour l'instant : calculé sur les inscriptions confirmées.", "No check-in yet: counted over the confirmed registrations.";
    "stats_previous" => "Édition précédente", "Previous edition";
    "stats_figure" => "Chiffre", "Figure";
    "stats_difference" => "Écart", "Change";
    "stats_point" => "pt", "pt";
    "stats_points" => "pts", "pts";
    "stats_nothing" => "Rien à compter pour l'instant.", "Nothing to count yet.";
    "stats_overview" => "Vue d'ensemble", "Overview";
    "stats_presence" => "Présence", "Attendance";
    "stats_present_by_day" => "Présents par jour", "Present per day";
    "stats_who" => "Qui est venu", "Who came";
    "stats_countries" => "Pays", "Countries";
    "stats_organisation_types" => "Types d'organisation", "Organisation types";
    "stats_functions" => "Fonctions", "Functions";
    "stats_categories" => "Catégories de badge", "Badge categories";
    "stats_sessions" => "Sessions", "Sessions";
    "stats_arrivals" => "Arrivées par quart d'heure", "Arrivals per quarter hour";
    "stats_registrations_by_day" => "Inscriptions par jour", "Registrations per day";
    "stats_registered" => "Inscriptions confirmées", "Confirmed registrations";
    "stats_waitlisted" => "En liste d'attente", "On the waiting list";
    "stats_cancelled" => "Annulations", "Cancellations";
    "stats_present" => "Personnes présentes", "People present";
    "stats_no_show_rate" => "Inscrits absents", "No-show rate";
    "stats_participants" => "Participants", "Participants";
    "stats_foreign_share" => "Venus de l'étranger", "From abroad";
    "stats_countries_count" => "Pays représentés", "Countries represented";
    "stats_french_local_governments" => "Collectivités territoriales françaises", "French local governments";
    "stats_sessions_count" => "Sessions", "Sessions";
    "stats_intended" => "Inscrits", "Signed up";
    "stats_attended" => "Présents", "Attended";
    "stats_fill_rate" => "Remplissage", "Fill rate";
    "stats_cumulative" => "Cumul", "Running total";
    "stats_count" => "Nombre", "Count";
    "stats_date" => "Date", "Date";
    "stats_section" => "Section", "Section";
    "stats_label" => "Libellé", "Label";
    "stats_value" => "Valeur", "Value";
    "stats_previous_value" => "Édition précédente", "Previous edition";
    "stats_arrivals_chart" => "Arrivées à l'accueil par quart d'heure, matin du", "Arrivals at the welcome desk per quarter hour, morning of";
    "stats_checkins" => "passages", "check-ins";
    "stats_checkins_col" => "Passages", "Check-ins";
    "stats_peak" => "pointe à", "peak at";
    "stats_quarter_axis" => "Début du quart d'heure (heure locale)", "Start of the quarter hour (local time)";
    "stats_no_arrivals" => "Aucun passage le matin pour l'instant.", "No morning check-in yet.";
    "stats_show_data" => "Voir les chiffres", "Show the figures";
    "stats_curve" => "Inscriptions cumulées, jour après jour", "Registrations so far, day by day";
    "stats_curve_capped" => "Seuls les", "Only the latest";
    "stats_curve_capped_rest" => "derniers jours figurent ici ; les inscriptions antérieures comptent dans le cumul.", "days are shown; earlier registrations count in the running total.";
    "stats_arrivals_capped" => "Seules les", "Only the busiest";
    "stats_arrivals_capped_rest" => "matinées les plus chargées figurent ici.", "mornings are shown.";
    "stats_registrations_word" => "inscriptions", "registrations";
    "stats_no_registrations" => "Aucune inscription pour l'instant.", "No registration yet.";
    "stats_sessions_chart" => "Remplissage des sessions", "How full the sessions were";
    "stats_no_sessions" => "Le programme n'a pas encore de session.", "The programme has no session yet.";
    "stats_conflicts" => "Passages en conflit", "Check-in conflicts";
    "stats_conflicts_hint" => "Badges scannés hors ligne alors qu'ils avaient déjà servi à un autre accueil.", "Badges scanned offline after they had already been used at another desk.";
    "stats_no_conflicts" => "Aucun passage en conflit.", "No check-in conflict.";
    "stats_desk" => "Accueil", "Desk";
    "reg_add" => "Inscrire quelqu'un", "Register someone";
    "reg_confirmed_count" => "confirmées", "confirmed";
    "reg_waitlisted_count" => "en liste d'attente", "on the waiting list";
    "reg_cancelled_count" => "annulées", "cancelled";
    "search" => "Rechercher", "Search";
    "search_hint" => "Nom, organisation, pays…", "Name, organisation, country…";
    "reg_status" => "Statut", "Status";
    "all" => "Tous", "All";
    "session" => "Session", "Session";
    "export_csv" => "Exporter en CSV", "Export as CSV";
    "export_xlsx" => "Exporter en XLSX", "Export as XLSX";
    "print_badges" => "Imprimer les badges (4 par A4)", "Print badges (4 per A4)";
    "print_selected" => "Imprimer les badges cochés", "Print the ticked badges";
    "reg_shown" => "inscriptions affichées", "registrations shown";
    "select" => "Sélectionner", "Select";
    "reg_category" => "Catégorie", "Category";
    "reg_created" => "Inscrit·e le", "Registered";
    "reg_none" => "Aucune inscription ne correspond.", "No registration matches.";
    "erased_person" => "(données effacées)", "(data erased)";
    "reg_invited" => "invité·e", "invited";
    "badge_version" => "badge n°", "badge no.";
    "badge_pdf" => "Badge (PDF)", "Badge (PDF)";
    "participant_page" => "Page du participant", "Participant's page";
    "export_personal" => "Exporter ses données (JSON)", "Export their data (JSON)";
    "reg_organiser_part" => "Réservé aux organisateurs", "Organisers only";
    "reg_category_auto" => "Selon la fonction", "From the function";
    "reg_person" => "Personne du programme", "Person of the programme";
    "reg_person_hint" => "Relie l'inscription à un intervenant : son badge dira « Intervenant·e ».", "Links the registration to a speaker: the badge will say \"Speaker\".";
    "reg_invited_hint" => "Invité·e : prend une place même si l'événement est complet", "Invited: takes a seat even when the event is full";
    "reg_actions" => "Actions", "Actions";
    "resend_confirmation" => "Renvoyer la confirmation et le badge", "Resend the confirmation and badge";
    "resend_link" => "Renvoyer le lien personnel", "Resend the personal link";
    "reissue_badge" => "Réémettre le badge (l'ancien devient invalide)", "Re-issue the badge (the old one stops working)";
    "revoke_link" => "Révoquer le lien personnel", "Revoke the personal link";
    "reg_cancel_confirm" => "Je confirme l'annulation", "I confirm the cancellation";
    "reg_cancel" => "Annuler l'inscription", "Cancel the registration";
    "erase_confirm" => "Effacer définitivement l'identité de cette personne (les chiffres anonymes restent)", "Erase this person's identity for good (anonymous counts remain)";
    "erase" => "Effacer les données personnelles", "Erase personal data";
    "erase_before_event" => "L'événement n'a pas commencé : effacer cette personne annule d'abord son inscription. Sa place va à la liste d'attente et l'annulation est comptée.", "The event has not begun: erasing this person first cancels their registration. Their seat goes to the waiting list and the cancellation is counted.";
    "erase_after_start" => "L'événement a commencé : l'effacement retire l'identité seulement. Les chiffres de l'édition (inscrit·es, présent·es, sessions) ne changent pas.", "The event has begun: erasing removes the identity only. The edition's figures (registered, present, sessions) do not change.";
    "email_kind" => "Message", "Message";
    "email_when" => "Date (UTC)", "Date (UTC)";
    "email_error" => "Dernière erreur", "Last error";
    "email_attempts" => "Essais", "Attempts";
    "email_retry" => "Réessayer", "Retry";
    "email_next" => "Prochain essai", "Next attempt";
    "email_cancel" => "Annuler l'envoi", "Cancel sending";
    "emails_scheduled" => "Messages programmés", "Scheduled messages";
    "emails_none_scheduled" => "Aucun message programmé.", "No scheduled message.";
    "email_leaves_at" => "Départ prévu (UTC)", "Leaves at (UTC)";
    "emails_troubles" => "Messages à surveiller", "Messages to watch";
    "emails_all_fine" => "Aucun message en échec.", "No failed message.";
    "emails_no_smtp" => "Aucun serveur SMTP n'est configuré : les messages sont écrits en fichiers .eml dans le dossier de données, pas envoyés.", "No SMTP server is configured: messages are written as .eml files in the data folder, not sent.";
    "badge_needs_confirmed" => "Seule une inscription confirmée a un badge.", "Only a confirmed registration has a badge.";
    "reg_window_now" => "Inscriptions ouvertes du", "Registration open from";
    "reg_opens_at" => "Ouverture", "Opens";
    "reg_closes_at" => "Clôture", "Closes";
    "reg_opens_hint" => "Heure locale de l'édition. Vide : dès la création de l'édition.", "The edition's local time. Empty: from the edition's creation.";
    "reg_closes_hint" => "Heure locale de l'édition. Vide : au début du premier jour.", "The edition's local time. Empty: when the first day begins.";
    "reg_capacity_hint" => "Places à l'événement. Vide : sans limite. Au-delà : liste d'attente.", "Seats at the event. Empty: no limit. Beyond it: waiting list.";
    "retention_days" => "Conservation (jours)", "Retention (days)";
    "retention_hint" => "Après le dernier jour ; « rencontres purge » efface ensuite les données personnelles.", "After the last day; \"rencontres purge\" then erases personal data.";
    "privacy_notice" => "Politique de confidentialité", "Privacy notice";
    "privacy_notice_hint" => "Affichée au-dessus de la case de consentement. Séparez les paragraphes par une ligne vide.", "Shown above the consent box. Separate paragraphs with a blank line.";
    "invalid_datetime" => "Date et heure non valides.", "Invalid date and time.";
    "invalid_number" => "Nombre entier positif attendu.", "A whole positive number is expected.";
    "error_reg_not_open" => "Les inscriptions ne sont pas encore ouvertes.", "Registration is not open yet.";
    "reg_exists" => "Cette adresse était déjà inscrite : voici son inscription. Aucune nouvelle inscription n'a été créée.", "This address was already registered: here is its registration. No new registration was made.";
}

#[cfg(test)]
mod tests;
