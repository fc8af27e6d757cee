# Names of the choices: session kinds, roles, civilities, functions, statuses.

# SessionKind
session_kind_plenary = Plenaria
session_kind_regional_meeting = Reunión regional
session_kind_country_group = Grupo de país
session_kind_dynamic = Dinámica
session_kind_thematic_group = Grupo temático
session_kind_workshop = Taller
session_kind_conference = Conferencia
session_kind_micro_atelier = Microtaller
session_kind_bourse = Bolsa de proyectos
session_kind_break = Pausa
session_kind_other = Otro

# PersonRole
person_role_opening = Apertura
person_role_moderator = Moderación
person_role_speaker = Ponencias
person_role_rapporteur = Relatoría

# Civility
civility_mme = Sra.
civility_m = Sr.
civility_none = Prefiero no indicarlo

# Function
function_elected = Autoridad electa
function_staff = Personal de gobierno local
function_diplomat = Diplomático/a
function_state_agency = Estado u organismo público
function_network = Red o asociación de gobiernos locales
function_ngo = ONG
function_researcher = Investigador/a
function_student = Estudiante
function_press = Prensa
function_company = Empresa
function_other = Otro

# OrganisationType
organisation_type_french_local_government = Gobierno local francés
organisation_type_foreign_local_government = Gobierno local extranjero
organisation_type_state = Estado u organismo
organisation_type_embassy = Embajada
organisation_type_network = Red de gobiernos locales
organisation_type_ngo = ONG, sociedad civil
organisation_type_company = Empresa
organisation_type_research = Investigación, universidad
organisation_type_press = Prensa
organisation_type_other = Otro

# Category
category_participant = Participante
category_speaker = Ponente
category_organiser = Organización
category_press = Prensa

# Status
status_confirmed = Confirmada
status_waitlisted = Lista de espera
status_cancelled = Cancelada

# ChoiceStatus
choice_status_confirmed = Plaza reservada
choice_status_waitlisted = Lista de espera
choice_status_pending = Pendiente de su inscripción

person_role_speaker_one = Ponente

# Columns of the registration exports (CSV, XLSX)
export_sheet = Inscripciones
export_col_status = Estado
export_col_category = Categoría
export_col_civility = Tratamiento
export_col_first_name = Nombre
export_col_last_name = Apellido
export_col_email = Correo electrónico
export_col_function = Cargo
export_col_organisation = Organización
export_col_organisation_type = Tipo de organización
export_col_country = País
export_col_cuf_member = Miembro de CUF
export_col_days = Días
export_col_lunch = Almuerzo
export_col_accessibility = Accesibilidad
export_col_sessions = Sesiones
export_col_language = Idioma
export_col_photos = Fotos
export_col_source = Origen
export_col_invited = Invitado/a
export_col_registered_at = Inscrito/a el
export_col_id = Identificador

# Languages: each one's own name (the switcher), then names in this language.
language_native = Español
language_fr = francés
language_en = inglés
language_es = español
language_pt = portugués
language_ar = árabe
language_de = alemán
language_it = italiano
language_ja = japonés
language_he = hebreo
language_zh = chino
language_ru = ruso

# Dates
weekday_1 = lunes
weekday_2 = martes
weekday_3 = miércoles
weekday_4 = jueves
weekday_5 = viernes
weekday_6 = sábado
weekday_7 = domingo
month_1 = enero
month_2 = febrero
month_3 = marzo
month_4 = abril
month_5 = mayo
month_6 = junio
month_7 = julio
month_8 = agosto
month_9 = septiembre
month_10 = octubre
month_11 = noviembre
month_12 = diciembre
date_long = { $weekday } { $day } de { $month } de { $year }
date_span_one_month = { $from_day }–{ $to_day } de { $to_month } de { $year }
date_span = { $from_day } de { $from_month } – { $to_day } de { $to_month } de { $year }

# The statistics in one sentence; `shown` is the count with its thousands separator.
stats_headline_sentence = { $participants }, { $abroad } del extranjero, { $countries }, { $local_governments }, { $sessions }
stats_headline_participants = { $count ->
    [one] { $shown } participante
   *[other] { $shown } participantes
}
stats_headline_countries = { $count ->
    [one] { $shown } país
   *[other] { $shown } países
}
stats_headline_local_governments = { $count ->
    [one] { $shown } gobierno local francés
   *[other] { $shown } gobiernos locales franceses
}
stats_headline_sessions = { $count ->
    [one] { $shown } sesión
   *[other] { $shown } sesiones
}
