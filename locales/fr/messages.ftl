# Messages of the API and of form checks: errors, field problems, check-in verdicts.

## Check-in requests
checkin_invalid_nonce = Identifiant de scan invalide : 8 à 64 lettres, chiffres, « - » ou « _ ».
checkin_invalid_desk = Nommez le poste d'accueil (1 à 40 caractères).
checkin_invalid_time = Heure de scan illisible (format RFC 3339 attendu).
checkin_token_or_registration = Envoyez soit le code du badge (token), soit l'inscription trouvée (registration).
checkin_edition_required = Précisez l'édition de ce poste d'accueil.
checkin_unknown_session = Cette session n'existe pas dans ce programme : { $key }
checkin_time_out_of_range = Heure de scan trop éloignée de l'édition : vérifiez l'horloge de l'appareil.

## Check-in verdicts
verdict_entry = Entrée enregistrée : { $session }
verdict_welcome = Bienvenue, { $name } !
verdict_reentry = Re-entrée : première entrée à { $time } ({ $desk }).
verdict_already = Déjà enregistré·e aujourd'hui à { $time } ({ $desk }).
verdict_conflict = Conflit : ce badge a aussi servi à un autre poste hors ligne.
verdict_malformed = Ce code n'est pas un badge des Rencontres.
verdict_forged = Badge non valide : sa signature ne correspond pas (falsifié ou mal lu).
verdict_waitlisted = Sur liste d'attente : pas de place confirmée.
verdict_unknown = Badge inconnu : émis par un autre système, ou inscription effacée.
verdict_revoked = Badge remplacé : un nouveau badge a été imprimé depuis.
verdict_cancelled = Inscription annulée.
verdict_wrong_day = Inscrit·e pour un autre jour : { $days }.
verdict_not_event_day = Ce n'est pas un jour des Rencontres.
verdict_wrong_edition = Badge d'une autre édition des Rencontres.

## API errors (`message` of `{code, message}`)
api_not_found = introuvable
api_unauthenticated = authentification requise
api_forbidden = ce rôle ne permet pas cette action
api_csrf = le formulaire a expiré ou ne vient pas de ce site ; rechargez la page et réessayez
api_rate_limited = trop de tentatives ; patientez quelques minutes
api_bad_request = le corps de la requête n'est pas valide : { $detail }
api_malformed_json = le corps n'est pas du JSON valide : { $detail }
api_unsupported_media_type = cette adresse attend un corps JSON : envoyez-le avec Content-Type: application/json
api_nonce_reused = ce nonce a déjà servi pour un autre scan ; créez un nonce pour chaque scan
api_validation = certains champs ne sont pas valides
api_conflicts = la modification crée des conflits dans le programme
api_stale = quelqu'un d'autre a modifié ceci entre-temps ; rechargez pour voir sa version, puis refaites votre modification
api_registration_not_open = les inscriptions à cette édition ne sont pas encore ouvertes
api_registration_closed = les inscriptions à cette édition sont closes
api_already_registered = cette adresse est déjà inscrite à cette édition ; son lien de gestion lui est renvoyé (au plus toutes les dix minutes)
api_edition_full = il ne reste aucune place à cette édition
api_already_exists = existe déjà
api_internal = erreur interne ; elle a été consignée
api_refused = la requête a été refusée : { $detail }
api_method_not_allowed = cette adresse n'accepte pas cette méthode ; elle accepte { $methods }
api_payload_too_large = le corps de la requête dépasse la limite de { $limit } octets

## Refusals: what is in use or exists already
in_use_account = { $email } a déjà un compte
in_use_slug = une édition utilise déjà l'identifiant { $slug }
in_use_room = La salle { $room } accueille encore les sessions { $sessions } : déplacez-les d'abord.
in_use_cancelled_registration = cette inscription est annulée ; inscrivez-vous de nouveau
in_use_registration_cancelled = cette inscription est annulée
in_use_erased = les données de cette personne ont été effacées
in_use_badge_needs_confirmed = seule une inscription confirmée a un badge
in_use_checkin_undone = cette entrée a déjà été annulée

## Registration form
form_required = Ce champ est obligatoire.
form_too_long = { $max } caractères au plus.
form_invalid_characters = Ce texte contient des caractères invisibles ; retapez-le.
form_choose = Choisissez une réponse.
form_invalid_choice = Réponse inconnue ; choisissez parmi : { $codes }.
form_invalid_email = Cette adresse n'est pas valide (exemple : prenom.nom@ville.fr).
form_choose_country = Choisissez un pays.
form_unknown_country = Pays inconnu ; choisissez-le dans la liste.
form_unknown_day = { $day } n'est pas un jour des Rencontres.
form_days_required = Cochez au moins un jour.
form_unknown_language = Langue inconnue ; choisissez fr, en ou es.
form_consent_required = L'inscription demande votre accord avec la politique de confidentialité.
form_unknown_session = La session « { $key } » n'existe pas dans ce programme.
form_not_choosable = « { $title } » est ouverte à tous : inutile de la choisir.
form_day_not_attended = « { $title } » a lieu un jour que vous n'avez pas coché.
form_same_slot = « { $title } » et « { $other } » ont lieu en même temps : choisissez-en une.
form_email_taken = Une autre inscription utilise déjà cette adresse.

## Registration settings
settings_negative_capacity = La capacité ne peut pas être négative.
settings_closes_before_opening = La clôture doit venir après l'ouverture.
settings_date_out_of_range = Choisissez une date entre le { $from } et le { $to }.
settings_retention_out_of_range = Entre 0 et 3650 jours.
