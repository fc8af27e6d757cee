# Messages of the API and of form checks: errors, field problems, check-in verdicts.

## Check-in requests
checkin_invalid_nonce = Identificador de escaneo no válido: de 8 a 64 letras, cifras, «-» o «_».
checkin_invalid_desk = Dé un nombre al puesto de recepción (de 1 a 40 caracteres).
checkin_invalid_time = Hora de escaneo ilegible (se espera el formato RFC 3339).
checkin_token_or_registration = Envíe el código del gafete (token) o la inscripción encontrada (registration).
checkin_edition_required = Indique la edición de este puesto de recepción.
checkin_unknown_session = Esta sesión no existe en este programa: { $key }
checkin_time_out_of_range = Hora de escaneo demasiado alejada de la edición: verifique el reloj del dispositivo.

## Check-in verdicts
verdict_entry = Entrada registrada: { $session }
verdict_welcome = ¡Bienvenido/a, { $name }!
verdict_reentry = Reingreso: primera entrada a las { $time } ({ $desk }).
verdict_already = Ya registrado/a hoy a las { $time } ({ $desk }).
verdict_conflict = Conflicto: este gafete también se usó en otro puesto sin conexión.
verdict_malformed = Este código no es un gafete de los Rencontres.
verdict_forged = Gafete no válido: su firma no coincide (falsificado o mal leído).
verdict_waitlisted = En lista de espera: sin plaza confirmada.
verdict_unknown = Gafete desconocido: emitido por otro sistema, o inscripción borrada.
verdict_revoked = Gafete reemplazado: desde entonces se imprimió uno nuevo.
verdict_cancelled = Inscripción cancelada.
verdict_wrong_day = Inscrito/a para otro día: { $days }.
verdict_not_event_day = Hoy no es un día de los Rencontres.
verdict_wrong_edition = Gafete de otra edición de los Rencontres.

## API errors (`message` of `{code, message}`)
api_not_found = no encontrado
api_unauthenticated = se requiere autenticación
api_forbidden = este rol no permite esta acción
api_csrf = el formulario caducó o no proviene de este sitio; recargue la página e inténtelo de nuevo
api_rate_limited = demasiados intentos; espere unos minutos
api_bad_request = el cuerpo de la solicitud no es válido: { $detail }
api_malformed_json = el cuerpo no es JSON válido: { $detail }
api_unsupported_media_type = esta dirección espera un cuerpo JSON: envíelo con Content-Type: application/json
api_nonce_reused = este nonce ya se usó para otro escaneo; genere un nonce nuevo para cada escaneo
api_validation = algunos campos no son válidos
api_conflicts = el cambio crea conflictos en el programa
api_stale = otra persona modificó esto mientras tanto; recargue para ver su versión y luego rehaga su cambio
api_registration_not_open = las inscripciones para esta edición aún no están abiertas
api_registration_closed = las inscripciones para esta edición están cerradas
api_already_registered = esta dirección ya está inscrita en esta edición; se le reenvía su enlace de gestión (como máximo cada diez minutos)
api_edition_full = no queda ninguna plaza en esta edición
api_already_exists = ya existe
api_internal = error interno; quedó registrado
api_refused = la solicitud fue rechazada: { $detail }
api_method_not_allowed = esta dirección no acepta este método; acepta { $methods }
api_payload_too_large = el cuerpo de la solicitud supera el límite de { $limit } bytes

## Refusals: what is in use or exists already
in_use_account = { $email } ya tiene una cuenta
in_use_slug = una edición ya usa el identificador { $slug }
in_use_room = La sala { $room } aún acoge las sesiones { $sessions }: muévalas primero.
in_use_cancelled_registration = esta inscripción está cancelada; inscríbase de nuevo
in_use_registration_cancelled = esta inscripción está cancelada
in_use_erased = los datos de esta persona fueron borrados
in_use_badge_needs_confirmed = solo una inscripción confirmada tiene gafete
in_use_checkin_undone = este registro de llegada ya fue anulado

## Registration form
form_required = Este campo es obligatorio.
form_too_long = Como máximo { $max } caracteres.
form_invalid_characters = Este texto contiene caracteres invisibles; vuelva a escribirlo.
form_choose = Elija una respuesta.
form_invalid_choice = Respuesta desconocida; elija entre: { $codes }.
form_invalid_email = Esta dirección no es válida (por ejemplo: nombre.apellido@ciudad.gob).
form_choose_country = Elija un país.
form_unknown_country = País desconocido; elíjalo en la lista.
form_unknown_day = { $day } no es un día de los Rencontres.
form_days_required = Marque al menos un día.
form_unknown_language = Idioma desconocido; elija fr, en o es.
form_consent_required = La inscripción requiere su aceptación del aviso de privacidad.
form_unknown_session = La sesión «{ $key }» no existe en este programa.
form_not_choosable = «{ $title }» está abierta a todos: no es necesario elegirla.
form_day_not_attended = «{ $title }» tiene lugar un día que usted no marcó.
form_same_slot = «{ $title }» y «{ $other }» tienen lugar al mismo tiempo: elija una.
form_email_taken = Otra inscripción ya usa esta dirección.

## Registration settings
settings_negative_capacity = El aforo no puede ser negativo.
settings_closes_before_opening = El cierre debe ser posterior a la apertura.
settings_date_out_of_range = Elija una fecha entre el { $from } y el { $to }.
settings_retention_out_of_range = Entre 0 y 3650 días.
