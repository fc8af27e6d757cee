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
    "nav_staff" => "Équipe", "Staff";
    "nav_organisers" => "Espace organisateurs", "Organisers";
    "logout" => "Se déconnecter", "Log out";
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_used_in_templates_and_code_is_translated() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut missing = Vec::new();
        let mut stack = vec![root.join("templates"), root.join("src")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                // Lookups read `.t("key")`, or `{{ t("key") }}` in the error page.
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_default()
                    .replace("{{ t(\"", ".t(\"");
                for part in text.split(".t(\"").skip(1) {
                    let key = part.split('"').next().unwrap();
                    if key.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                        && lookup(key).is_none()
                    {
                        missing.push(format!("{}: {key}", path.display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "untranslated keys: {missing:?}");
    }

    #[test]
    fn the_query_wins() {
        assert_eq!(query_lang("day=1&lang=en"), Some(Lang::En));
        assert_eq!(query_lang("lang=de"), None);
        assert_eq!(Lang::Fr.t("login"), "Se connecter");
        assert_eq!(Lang::En.t("login"), "Log in");
    }
}
