# Names of the choices: session kinds, roles, civilities, functions, statuses.

# SessionKind
session_kind_plenary = Plénière
session_kind_regional_meeting = Réunion régionale
session_kind_country_group = Groupe-pays
session_kind_dynamic = Dynamique
session_kind_thematic_group = Groupe thématique
session_kind_workshop = Atelier
session_kind_conference = Conférence
session_kind_micro_atelier = Micro-atelier
session_kind_bourse = Bourse aux projets
session_kind_break = Pause
session_kind_other = Autre

# PersonRole
person_role_opening = Ouverture
person_role_moderator = Animation
person_role_speaker = Interventions
person_role_rapporteur = Rapporteur

# Civility
civility_mme = Madame
civility_m = Monsieur
civility_none = Ne pas préciser

# Function
function_elected = Élu·e
function_staff = Agent·e de collectivité
function_diplomat = Diplomate
function_state_agency = État ou agence publique
function_network = Réseau ou association de collectivités
function_ngo = ONG
function_researcher = Chercheur·e
function_student = Étudiant·e
function_press = Presse
function_company = Entreprise
function_other = Autre

# OrganisationType
organisation_type_french_local_government = Collectivité territoriale française
organisation_type_foreign_local_government = Collectivité étrangère
organisation_type_state = État ou agence
organisation_type_embassy = Ambassade
organisation_type_network = Réseau de collectivités
organisation_type_ngo = ONG, société civile
organisation_type_company = Entreprise
organisation_type_research = Recherche, université
organisation_type_press = Presse
organisation_type_other = Autre

# Category
category_participant = Participant·e
category_speaker = Intervenant·e
category_organiser = Organisation
category_press = Presse

# Status
status_confirmed = Confirmée
status_waitlisted = Liste d'attente
status_cancelled = Annulée

# ChoiceStatus
choice_status_confirmed = Place réservée
choice_status_waitlisted = Liste d'attente
choice_status_pending = En attente de votre inscription

person_role_speaker_one = Intervention

# Columns of the registration exports (CSV, XLSX)
export_sheet = Inscriptions
export_col_status = Statut
export_col_category = Catégorie
export_col_civility = Civilité
export_col_first_name = Prénom
export_col_last_name = Nom
export_col_email = Email
export_col_function = Fonction
export_col_organisation = Organisation
export_col_organisation_type = Type d'organisation
export_col_country = Pays
export_col_cuf_member = Adhérent CUF
export_col_days = Jours
export_col_lunch = Déjeuner
export_col_accessibility = Accessibilité
export_col_sessions = Sessions
export_col_language = Langue
export_col_photos = Photos
export_col_source = Source
export_col_invited = Invité
export_col_registered_at = Inscrit le
export_col_id = Identifiant

# Languages: each one's own name (the switcher), then names in this language.
language_native = Français
language_fr = français
language_en = anglais
language_es = espagnol
language_pt = portugais
language_ar = arabe
language_de = allemand
language_it = italien
language_ja = japonais
language_he = hébreu
language_zh = chinois
language_ru = russe

# Dates
weekday_1 = lundi
weekday_2 = mardi
weekday_3 = mercredi
weekday_4 = jeudi
weekday_5 = vendredi
weekday_6 = samedi
weekday_7 = dimanche
month_1 = janvier
month_2 = février
month_3 = mars
month_4 = avril
month_5 = mai
month_6 = juin
month_7 = juillet
month_8 = août
month_9 = septembre
month_10 = octobre
month_11 = novembre
month_12 = décembre
date_long = { $weekday } { $day } { $month } { $year }
date_span_one_month = { $from_day }–{ $to_day } { $to_month } { $year }
date_span = { $from_day } { $from_month } – { $to_day } { $to_month } { $year }

# The statistics in one sentence; `shown` is the count with its thousands separator.
stats_headline_sentence = { $participants }, { $abroad } venus de l'étranger, { $countries }, { $local_governments }, { $sessions }
stats_headline_participants = { $count ->
    [one] { $shown } participant
   *[other] { $shown } participants
}
stats_headline_countries = { $shown } pays
stats_headline_local_governments = { $count ->
    [one] { $shown } collectivité territoriale française
   *[other] { $shown } collectivités territoriales françaises
}
stats_headline_sessions = { $count ->
    [one] { $shown } session
   *[other] { $shown } sessions
}
