//! What the agent itself says to a visitor outside the owner's configured messages, in the
//! seven languages the built-in engine detects (English when the language is unknown).

/// The languages below, in the order of each table's entries.
const LANGS: [&str; 7] = ["en", "es", "fr", "de", "pl", "pt", "it"];

fn pick(lang: Option<&str>, table: &[&'static str; 7]) -> &'static str {
    let i = lang
        .and_then(|l| {
            let base = l.split(['-', '_']).next().unwrap_or(l);
            LANGS.iter().position(|x| x.eq_ignore_ascii_case(base))
        })
        .unwrap_or(0);
    table[i]
}

/// Outside working hours: the offer to leave a way to be reached.
pub fn leave_contact(lang: Option<&str>) -> &'static str {
    pick(
        lang,
        &[
            "If you leave your email address or phone number here, the team will get back to you.",
            "Si nos deja aquí su correo electrónico o su número de teléfono, el equipo se pondrá en contacto con usted.",
            "Si vous laissez ici votre adresse e-mail ou votre numéro de téléphone, l'équipe vous recontactera.",
            "Wenn Sie hier Ihre E-Mail-Adresse oder Telefonnummer hinterlassen, meldet sich das Team bei Ihnen.",
            "Jeśli zostawi Pan/Pani tutaj swój adres e-mail lub numer telefonu, zespół się z Panem/Panią skontaktuje.",
            "Se deixar aqui o seu e-mail ou número de telefone, a equipa entrará em contacto consigo.",
            "Se lascia qui il suo indirizzo email o numero di telefono, il team la ricontatterà.",
        ],
    )
}

/// The visitor left a contact: thanks, and who will use it. `{}` is the contact.
pub fn contact_noted(lang: Option<&str>, contact: &str) -> String {
    pick(
        lang,
        &[
            "Thank you! The team will get back to you at {} as soon as they are back.",
            "¡Gracias! El equipo se pondrá en contacto con usted en {} en cuanto vuelva.",
            "Merci ! L'équipe vous recontactera à {} dès son retour.",
            "Danke! Das Team meldet sich unter {}, sobald es wieder da ist.",
            "Dziękujemy! Zespół skontaktuje się pod {}, gdy tylko wróci.",
            "Obrigado! A equipa entrará em contacto através de {} assim que voltar.",
            "Grazie! Il team la ricontatterà a {} non appena torna.",
        ],
    )
    .replace("{}", contact)
}

/// Asked for a person again while closed, with a contact already left. `{}` is the contact.
pub fn already_noted(lang: Option<&str>, contact: &str) -> String {
    pick(
        lang,
        &[
            "The team is not here right now, but your message is noted: they will get back to you at {}.",
            "El equipo no está disponible ahora, pero su mensaje está registrado: le contactarán en {}.",
            "L'équipe n'est pas disponible pour le moment, mais votre message est noté : elle vous recontactera à {}.",
            "Das Team ist gerade nicht da, aber Ihre Nachricht ist notiert: Es meldet sich unter {}.",
            "Zespołu teraz nie ma, ale wiadomość jest zapisana: skontaktujemy się pod {}.",
            "A equipa não está disponível agora, mas a sua mensagem foi registada: entraremos em contacto através de {}.",
            "Il team ora non è disponibile, ma il suo messaggio è registrato: la ricontatteremo a {}.",
        ],
    )
    .replace("{}", contact)
}

/// Asked for a person again while closed, no contact yet.
pub fn still_closed(lang: Option<&str>) -> &'static str {
    pick(
        lang,
        &[
            "The team is still away.",
            "El equipo sigue fuera.",
            "L'équipe est toujours absente.",
            "Das Team ist noch nicht zurück.",
            "Zespołu wciąż nie ma.",
            "A equipa ainda não voltou.",
            "Il team non è ancora tornato.",
        ],
    )
}

/// The visitor does not want to leave a contact.
pub fn no_contact(lang: Option<&str>) -> &'static str {
    pick(
        lang,
        &[
            "No problem. You can write here again when the team is back. Can I help with anything else?",
            "No hay problema. Puede volver a escribir aquí cuando el equipo esté de vuelta. ¿Le ayudo con algo más?",
            "Pas de souci. Vous pouvez réécrire ici quand l'équipe sera de retour. Puis-je vous aider pour autre chose ?",
            "Kein Problem. Sie können hier wieder schreiben, wenn das Team zurück ist. Kann ich sonst noch helfen?",
            "Nie ma problemu. Można napisać tu ponownie, gdy zespół wróci. Czy mogę pomóc w czymś jeszcze?",
            "Sem problema. Pode voltar a escrever aqui quando a equipa regressar. Posso ajudar em mais alguma coisa?",
            "Nessun problema. Può scrivere di nuovo qui quando il team sarà tornato. Posso aiutarla in altro?",
        ],
    )
}

/// An action needs a value the conversation does not hold yet: the question for it. `{}` is
/// what the value is (the parameter's description, else its name).
pub fn action_needs(lang: Option<&str>, what: &str) -> String {
    pick(
        lang,
        &[
            "I can look that up for you. Could you tell me {}?",
            "Puedo consultarlo. ¿Podría indicarme {}?",
            "Je peux vérifier cela. Pourriez-vous m'indiquer {} ?",
            "Das kann ich für Sie nachsehen. Können Sie mir {} nennen?",
            "Mogę to sprawdzić. Czy może Pan/Pani podać {}?",
            "Posso verificar isso. Pode indicar-me {}?",
            "Posso verificarlo. Può indicarmi {}?",
        ],
    )
    .replace("{}", what)
}

/// The answer to that question was not a valid value: asked once more. `{}` as above.
pub fn action_needs_again(lang: Option<&str>, what: &str) -> String {
    pick(
        lang,
        &[
            "Sorry, I could not use that. Could you give me {} again?",
            "Lo siento, no he podido usarlo. ¿Podría indicarme {} de nuevo?",
            "Désolé, je n'ai pas pu l'utiliser. Pourriez-vous me redonner {} ?",
            "Entschuldigung, das konnte ich nicht verwenden. Können Sie mir {} noch einmal nennen?",
            "Przepraszam, nie mogę tego użyć. Czy może Pan/Pani podać {} jeszcze raz?",
            "Desculpe, não consegui usar isso. Pode indicar-me {} novamente?",
            "Mi scusi, non ho potuto usarlo. Può indicarmi {} di nuovo?",
        ],
    )
    .replace("{}", what)
}

/// How a built-in gathering field is named when asked for: `email`, `first_name`, `phone`.
pub fn field_name(lang: Option<&str>, kind: &str) -> &'static str {
    match kind {
        "email" => pick(
            lang,
            &[
                "email address",
                "correo electrónico",
                "adresse e-mail",
                "E-Mail-Adresse",
                "adres e-mail",
                "endereço de e-mail",
                "indirizzo email",
            ],
        ),
        "phone" => pick(
            lang,
            &[
                "phone number",
                "número de teléfono",
                "numéro de téléphone",
                "Telefonnummer",
                "numer telefonu",
                "número de telefone",
                "numero di telefono",
            ],
        ),
        _ => pick(
            lang,
            &[
                "first name",
                "nombre",
                "prénom",
                "Vorname",
                "imię",
                "nome",
                "nome",
            ],
        ),
    }
}

/// Smart data gathering, subtle: a request riding on the agent's answer. `{}` is the field.
pub fn gather_subtle(lang: Option<&str>, what: &str) -> String {
    pick(
        lang,
        &[
            "By the way, could you share your {}? Then we can follow up with you if needed.",
            "Por cierto, ¿podría indicarnos su {}? Así podremos contactarle si hace falta.",
            "Au fait, pourriez-vous nous indiquer votre {} ? Nous pourrons ainsi vous recontacter si besoin.",
            "Übrigens, verraten Sie uns Ihre {}? Dann können wir uns bei Bedarf bei Ihnen melden.",
            "A przy okazji, czy może Pan/Pani podać {}? Wtedy będziemy mogli się w razie potrzeby odezwać.",
            "A propósito, pode indicar-nos o seu {}? Assim podemos contactá-lo se for preciso.",
            "A proposito, può indicarci il suo {}? Così potremo ricontattarla se necessario.",
        ],
    )
    .replace("{}", what)
}

/// Smart data gathering, direct: a question of its own. `{}` is the field.
pub fn gather_direct(lang: Option<&str>, what: &str) -> String {
    pick(
        lang,
        &[
            "What is your {}?",
            "¿Cuál es su {}?",
            "Quel est votre {} ?",
            "Wie lautet Ihre {}?",
            "Jaki jest Pana/Pani {}?",
            "Qual é o seu {}?",
            "Qual è il suo {}?",
        ],
    )
    .replace("{}", what)
}

/// The answer to a gathering request was not a valid value: asked once more. `{}` the field.
pub fn gather_again(lang: Option<&str>, what: &str) -> String {
    pick(
        lang,
        &[
            "Sorry, that doesn't look like a valid {}. Could you check it?",
            "Lo siento, eso no parece un {} válido. ¿Podría revisarlo?",
            "Désolé, cela ne ressemble pas à un {} valide. Pourriez-vous vérifier ?",
            "Entschuldigung, das sieht nicht nach einer gültigen Angabe für {} aus. Können Sie es prüfen?",
            "Przepraszam, to nie wygląda na poprawny {}. Czy może Pan/Pani sprawdzić?",
            "Desculpe, isso não parece um {} válido. Pode verificar?",
            "Mi scusi, non sembra un {} valido. Può controllare?",
        ],
    )
    .replace("{}", what)
}

/// A gathered detail is noted.
pub fn gather_thanks(lang: Option<&str>) -> &'static str {
    pick(
        lang,
        &[
            "Thank you!",
            "¡Gracias!",
            "Merci !",
            "Danke!",
            "Dziękuję!",
            "Obrigado!",
            "Grazie!",
        ],
    )
}

/// The visitor declined to give their details: respected, and said so.
pub fn gather_declined(lang: Option<&str>) -> &'static str {
    pick(
        lang,
        &[
            "No problem. Is there anything else I can help you with?",
            "No hay problema. ¿Puedo ayudarle en algo más?",
            "Pas de problème. Puis-je vous aider pour autre chose ?",
            "Kein Problem. Kann ich Ihnen sonst noch helfen?",
            "Nie ma problemu. Czy mogę pomóc w czymś jeszcze?",
            "Sem problema. Posso ajudar em mais alguma coisa?",
            "Nessun problema. Posso aiutarla in altro?",
        ],
    )
}

/// The label of a handover channel's button (the messaging apps keep their names).
pub fn channel_label(lang: Option<&str>, channel: crate::chat::model::HandoverChannel) -> String {
    use crate::chat::model::HandoverChannel as C;
    match channel {
        C::Inbox => pick(
            lang,
            &[
                "Chat with a person here",
                "Hablar aquí con una persona",
                "Parler ici à une personne",
                "Hier mit einer Person chatten",
                "Porozmawiaj tu z człowiekiem",
                "Falar aqui com uma pessoa",
                "Parla qui con una persona",
            ],
        )
        .to_owned(),
        C::Email => pick(
            lang,
            &[
                "Email us",
                "Escríbanos por correo",
                "Écrivez-nous par e-mail",
                "Per E-Mail schreiben",
                "Napisz e-mail",
                "Envie-nos um e-mail",
                "Scrivici un'email",
            ],
        )
        .to_owned(),
        C::Whatsapp => "WhatsApp".into(),
        C::Telegram => "Telegram".into(),
        C::Instagram => "Instagram".into(),
        C::Messenger => "Messenger".into(),
    }
}

/// The message pre-filled in WhatsApp or Telegram: `{id}` the conversation, `{summary}` what
/// it was about (left out when there is none).
pub fn handover_prefill(lang: Option<&str>, conversation: crate::Id, summary: &str) -> String {
    let hello = pick(
        lang,
        &[
            "Hello! I was chatting on your website (conversation {id}).",
            "¡Hola! Estaba chateando en su web (conversación {id}).",
            "Bonjour ! Je discutais sur votre site (conversation {id}).",
            "Hallo! Ich habe auf Ihrer Website gechattet (Unterhaltung {id}).",
            "Dzień dobry! Pisałem/am na czacie na Państwa stronie (rozmowa {id}).",
            "Olá! Estava a conversar no vosso site (conversa {id}).",
            "Salve! Stavo chattando sul vostro sito (conversazione {id}).",
        ],
    )
    .replace("{id}", &format!("#{conversation}"));
    if summary.is_empty() {
        hello
    } else {
        format!("{hello} {summary}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_its_own_words_and_unknown_falls_back_to_english() {
        let all: Vec<&str> = LANGS.iter().map(|l| leave_contact(Some(l))).collect();
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert_ne!(a, b);
            }
        }
        assert_eq!(leave_contact(None), leave_contact(Some("en")));
        assert_eq!(leave_contact(Some("ja")), leave_contact(Some("en")));
        assert_eq!(leave_contact(Some("de-AT")), leave_contact(Some("de")));
        assert!(contact_noted(Some("pl"), "anna@example.com").contains("anna@example.com"));
    }
}
