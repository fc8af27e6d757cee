# Emails to registrants. `mail_<kind>_subject` takes the edition's title.

mail_greeting = { $civility ->
    [mme] Madame { $last_name },
    [m] Monsieur { $last_name },
   *[other] Bonjour { $full_name },
}
mail_confirmed_subject = Inscription confirmée : { $title }
mail_confirmed_1 = Nous avons le plaisir de confirmer votre inscription.
mail_confirmed_2 = Votre badge est joint à ce message. Présentez-le, imprimé ou sur votre téléphone, à l'accueil : son code QR suffit pour entrer.
mail_waitlisted_subject = Liste d'attente : { $title }
mail_waitlisted_1 = Toutes les places sont prises pour le moment : votre demande est inscrite sur la liste d'attente, dans l'ordre d'arrivée.
mail_waitlisted_2 = Dès qu'une place se libère, elle vous est attribuée automatiquement et vous recevez votre badge par email.
mail_promoted_subject = Une place s'est libérée : inscription confirmée, { $title }
mail_promoted_1 = Une place s'est libérée et vous revient : votre inscription est confirmée.
mail_promoted_2 = Votre badge est joint à ce message.
mail_session_promoted_subject = Une place s'est libérée dans une session : { $title }
mail_session_promoted_1 = Une place s'est libérée dans une session que vous attendiez ; elle vous est réservée. Vos sessions sont rappelées ci-dessous.
mail_manage_link_subject = Votre inscription : { $title }
mail_manage_link_1 = Cette adresse est déjà inscrite. Voici de nouveau le lien personnel qui permet de consulter, modifier ou annuler votre inscription et de télécharger votre badge.
mail_cancelled_subject = Inscription annulée : { $title }
mail_cancelled_1 = Votre inscription est annulée et votre badge n'est plus valable. Si c'est une erreur, vous pouvez vous inscrire de nouveau tant que les inscriptions sont ouvertes.
mail_badge_subject = Votre nouveau badge : { $title }
mail_badge_1 = Voici votre nouveau badge. L'ancien n'est plus valable : ne l'utilisez plus.
mail_changed_subject = Votre inscription a été modifiée : { $title }
mail_changed_confirmed_1 = Votre inscription a été modifiée. Voici vos jours et vos sessions à jour, votre programme personnel (.ics) et votre badge.
mail_changed_waitlisted_1 = Votre inscription a été modifiée. Voici vos jours et vos sessions à jour ; vous êtes toujours sur la liste d'attente.
