# Names of the choices: session kinds, roles, civilities, functions, statuses.

# SessionKind
session_kind_plenary = Plenary
session_kind_regional_meeting = Regional meeting
session_kind_country_group = Country group
session_kind_dynamic = Dynamic
session_kind_thematic_group = Thematic group
session_kind_workshop = Workshop
session_kind_conference = Conference
session_kind_micro_atelier = Micro-workshop
session_kind_bourse = Project exchange
session_kind_break = Break
session_kind_other = Other

# PersonRole
person_role_opening = Opening
person_role_moderator = Moderator
person_role_speaker = Speakers
person_role_rapporteur = Rapporteur

# Civility
civility_mme = Ms
civility_m = Mr
civility_none = Prefer not to say

# Function
function_elected = Elected official
function_staff = Local-government staff
function_diplomat = Diplomat
function_state_agency = State or public agency
function_network = Network or association
function_ngo = NGO
function_researcher = Researcher
function_student = Student
function_press = Press
function_company = Company
function_other = Other

# OrganisationType
organisation_type_french_local_government = French local government
organisation_type_foreign_local_government = Foreign local government
organisation_type_state = State or agency
organisation_type_embassy = Embassy
organisation_type_network = Network of local governments
organisation_type_ngo = NGO, civil society
organisation_type_company = Company
organisation_type_research = Research, university
organisation_type_press = Press
organisation_type_other = Other

# Category
category_participant = Participant
category_speaker = Speaker
category_organiser = Organiser
category_press = Press

# Status
status_confirmed = Confirmed
status_waitlisted = Waiting list
status_cancelled = Cancelled

# ChoiceStatus
choice_status_confirmed = Seat reserved
choice_status_waitlisted = Waiting list
choice_status_pending = Waiting for your registration

person_role_speaker_one = Speaker

# Columns of the registration exports (CSV, XLSX)
export_sheet = Registrations
export_col_status = Status
export_col_category = Category
export_col_civility = Title
export_col_first_name = First name
export_col_last_name = Last name
export_col_email = Email
export_col_function = Function
export_col_organisation = Organisation
export_col_organisation_type = Organisation type
export_col_country = Country
export_col_cuf_member = CUF member
export_col_days = Days
export_col_lunch = Lunch
export_col_accessibility = Accessibility
export_col_sessions = Sessions
export_col_language = Language
export_col_photos = Photos
export_col_source = Source
export_col_invited = Invited
export_col_registered_at = Registered at
export_col_id = Id

# Languages: each one's own name (the switcher), then names in this language.
language_native = English
language_fr = French
language_en = English
language_es = Spanish
language_pt = Portuguese
language_ar = Arabic
language_de = German
language_it = Italian
language_ja = Japanese
language_he = Hebrew
language_zh = Chinese
language_ru = Russian

# Dates
weekday_1 = Monday
weekday_2 = Tuesday
weekday_3 = Wednesday
weekday_4 = Thursday
weekday_5 = Friday
weekday_6 = Saturday
weekday_7 = Sunday
month_1 = January
month_2 = February
month_3 = March
month_4 = April
month_5 = May
month_6 = June
month_7 = July
month_8 = August
month_9 = September
month_10 = October
month_11 = November
month_12 = December
date_long = { $weekday } { $day } { $month } { $year }
date_span_one_month = { $from_day }–{ $to_day } { $to_month } { $year }
date_span = { $from_day } { $from_month } – { $to_day } { $to_month } { $year }

# The statistics in one sentence; `shown` is the count with its thousands separator.
stats_headline_sentence = { $participants }, { $abroad } from abroad, { $countries }, { $local_governments }, { $sessions }
stats_headline_participants = { $count ->
    [one] { $shown } participant
   *[other] { $shown } participants
}
stats_headline_countries = { $count ->
    [one] { $shown } country
   *[other] { $shown } countries
}
stats_headline_local_governments = { $count ->
    [one] { $shown } French local government
   *[other] { $shown } French local governments
}
stats_headline_sessions = { $count ->
    [one] { $shown } session
   *[other] { $shown } sessions
}
