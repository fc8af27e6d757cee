# Emails to registrants. `mail_<kind>_subject` takes the edition's title.

mail_greeting = { $civility ->
    [mme] Estimada Sra. { $last_name }:
    [m] Estimado Sr. { $last_name }:
   *[other] Estimado/a { $full_name }:
}
mail_confirmed_subject = Inscripción confirmada: { $title }
mail_confirmed_1 = Nos complace confirmar su inscripción.
mail_confirmed_2 = Su gafete va adjunto a este mensaje. Preséntelo en la recepción, impreso o en su teléfono: su código QR basta para entrar.
mail_waitlisted_subject = Lista de espera: { $title }
mail_waitlisted_1 = Por ahora todas las plazas están ocupadas: su solicitud está en la lista de espera, por orden de llegada.
mail_waitlisted_2 = En cuanto se libere una plaza, se le asignará automáticamente y recibirá su gafete por correo electrónico.
mail_promoted_subject = Se liberó una plaza: inscripción confirmada, { $title }
mail_promoted_1 = Se liberó una plaza y es suya: su inscripción está confirmada.
mail_promoted_2 = Su gafete va adjunto a este mensaje.
mail_session_promoted_subject = Se liberó una plaza en una sesión: { $title }
mail_session_promoted_1 = Se liberó una plaza en una sesión que usted esperaba; ahora está reservada para usted. Sus sesiones se recuerdan a continuación.
mail_manage_link_subject = Su inscripción: { $title }
mail_manage_link_1 = Esta dirección ya está inscrita. Le enviamos de nuevo el enlace personal para consultar, modificar o cancelar su inscripción y descargar su gafete.
mail_cancelled_subject = Inscripción cancelada: { $title }
mail_cancelled_1 = Su inscripción está cancelada y su gafete ya no es válido. Si se trata de un error, puede volver a inscribirse mientras las inscripciones estén abiertas.
mail_badge_subject = Su nuevo gafete: { $title }
mail_badge_1 = Aquí tiene su nuevo gafete. El anterior ya no es válido: por favor, no lo utilice.
mail_changed_subject = Se modificó su inscripción: { $title }
mail_changed_confirmed_1 = Se modificó su inscripción. Aquí están sus días y sesiones actualizados, su programa personal (.ics) y su gafete.
mail_changed_waitlisted_1 = Se modificó su inscripción. Aquí están sus días y sesiones actualizados; usted sigue en la lista de espera.
