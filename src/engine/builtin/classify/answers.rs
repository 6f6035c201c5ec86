//! Short answers and reactions: yes/no to "Would you like me to connect you with a person?",
//! rejections of the agent's answer, and the agent's own text giving up (suggesting support,
//! admitting it does not know).

use std::sync::LazyLock;

use super::lexicon::PhraseSet;
use super::text::Doc;

const YES: f32 = 1.0;
const NO: f32 = -1.0;
/// "I don't know", "maybe": an explicit non-answer.
const UNSURE: f32 = 0.0;

/// Clause-initial answer phrases; the weight is the polarity.
static ANSWERS: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::new(&[
        (
            "en",
            YES,
            "yes; yes please; yeah; yea; yep; yup; yess; yesss; ye; y; sure; sure thing; ok; okay; \
             okey; k; kk; alright; all right; please; please do; go ahead; of course; \
             absolutely; definitely; certainly; sounds good; that would be great; \
             that would be nice; i d like that; i would like that; do it; connect me; \
             why not; let s do it; lets do it; no problem; perfect; great; fine; good; \
             correct; right; yes i do; i do; i want that",
        ),
        (
            "en",
            NO,
            "no; nope; nah; no thanks; no thank you; not now; not yet; not really; \
             i m good; im good; i m fine; im fine; never mind; nevermind; don t; dont; \
             no need; maybe later; not necessary; no way; not at all; i ll pass; pass",
        ),
        (
            "en",
            UNSURE,
            "maybe; perhaps; i don t know; i dont know; dunno; not sure; i m not sure; idk",
        ),
        (
            "es",
            YES,
            "sí; si; sí por favor; si por favor; claro; claro que sí; vale; dale; de acuerdo; \
             por favor; porfa; perfecto; adelante; por supuesto; sale; va; bueno; ok; \
             está bien; esta bien; me parece bien; sí gracias; si gracias; venga; obvio",
        ),
        (
            "es",
            NO,
            "no; no gracias; ahora no; todavía no; todavia no; mejor no; para nada; \
             no hace falta; no es necesario; de ninguna manera; tampoco",
        ),
        (
            "es",
            UNSURE,
            "no sé; no se; no lo sé; no lo se; quizás; quizas; tal vez; a lo mejor; no estoy \
             seguro; no estoy segura",
        ),
        (
            "fr",
            YES,
            "oui; ouais; ouaip; oui svp; oui merci; oui s il vous plaît; d accord; dac; daccord; \
             ok; volontiers; bien sûr; avec plaisir; je veux bien; allez y; vas y; carrément; \
             parfait; entendu; ça marche; ca marche; pourquoi pas; bien sur; évidemment",
        ),
        (
            "fr",
            NO,
            "non; non merci; pas maintenant; pas encore; pas besoin; ça ira; ca ira; \
             ça va aller; ca va aller; sans façon; pas du tout; surtout pas; non pas maintenant",
        ),
        ("fr", UNSURE, "peut être; je sais pas; je ne sais pas; chais pas; aucune idée"),
        (
            "de",
            YES,
            "ja; ja bitte; jawohl; jo; jap; jep; gerne; gern; klar; natürlich; okay; ok; bitte; \
             einverstanden; genau; sicher; auf jeden fall; mach das; machen sie das; gut; \
             sehr gerne; warum nicht; ja gerne; ja klar; ja danke",
        ),
        (
            "de",
            NO,
            "nein; nein danke; nee; nö; ne; nicht jetzt; lieber nicht; danke nein; noch nicht; \
             nicht nötig; auf keinen fall; keinesfalls; nicht notwendig",
        ),
        (
            "de",
            UNSURE,
            "vielleicht; weiß nicht; weiss nicht; keine ahnung; ich weiß nicht; ich weiss \
             nicht",
        ),
        (
            "pl",
            YES,
            "tak; tak poproszę; tak prosze; tak proszę; jasne; pewnie; dobrze; ok; okej; \
             poproszę; poprosze; chętnie; chetnie; oczywiście; oczywiscie; no tak; zgoda; \
             dawaj; śmiało; smialo; czemu nie; pewnie że tak; tak dziękuję",
        ),
        (
            "pl",
            NO,
            "nie; nie dziękuję; nie dziekuje; nie teraz; nie trzeba; jeszcze nie; raczej nie; \
             nie dzięki; nie dzieki; w żadnym wypadku; na razie nie",
        ),
        ("pl", UNSURE, "może; moze; nie wiem; nie jestem pewien; nie jestem pewna"),
        (
            "pt",
            YES,
            "sim; sim por favor; claro; pode ser; pode; ok; beleza; com certeza; quero; \
             por favor; pode sim; isso; bora; fechado; tá bom; ta bom; tá; ta; tudo bem; \
             perfeito; manda; sim obrigado; sim obrigada; por que não; porque não; porque nao; \
             por que nao; claro que sim; uhum; aham",
        ),
        (
            "pt",
            NO,
            "não; nao; não obrigado; não obrigada; nao obrigado; nao obrigada; agora não; \
             agora nao; ainda não; ainda nao; melhor não; melhor nao; de jeito nenhum; \
             não precisa; nao precisa",
        ),
        ("pt", UNSURE, "não sei; nao sei; talvez; sei lá; sei la"),
        (
            "it",
            YES,
            "sì; si; sì grazie; si grazie; certo; certamente; va bene; ok; volentieri; \
             perfetto; d accordo; magari; per favore; sì per favore; si per favore; \
             assolutamente; ovvio; perché no; perche no; sicuro; vai",
        ),
        (
            "it",
            NO,
            "no; no grazie; non ora; non adesso; non ancora; meglio di no; per niente; \
             non serve; non è necessario; non e necessario; assolutamente no",
        ),
        ("it", UNSURE, "forse; non so; non lo so; boh"),
    ])
});

/// Words that may open an answer without changing it ("oh yes", "well no", "hmm ok").
const OPENERS: &[&str] = &[
    "oh",
    "well",
    "hmm",
    "hm",
    "um",
    "uh",
    "ah",
    "bueno",
    "pues",
    "alors",
    "euh",
    "ben",
    "bah",
    "also",
    "na",
    "naja",
    "hmmm",
    "eh",
    "ehm",
    "mmm",
    "então",
    "entao",
    "ma",
    "beh",
    "allora",
    "thanks",
    "thank",
    "gracias",
    "merci",
    "danke",
    "dzięki",
    "dzieki",
    "dziękuję",
    "dziekuje",
    "obrigado",
    "obrigada",
    "grazie",
    "hi",
    "hola",
    "ok",
];

/// What the start of a reply says.
pub(crate) enum Answer {
    Yes,
    No,
    /// "maybe", "I don't know", or yes and no mixed.
    Unsure,
    /// No answer phrase at any clause start.
    Nothing,
}

/// Reads the run of answer phrases at the start of the reply ("yes", "yes, please", "oh
/// well… no, no thanks"); the rest of the message is not an answer ("yes, but how long will
/// it take?" is yes; "I want a human, not a bot" starts with no answer phrase).
pub(crate) fn confirmation(doc: &Doc) -> Answer {
    let mut polarity: Option<f32> = None;
    let mut i = 0;
    while i < doc.len() {
        if let Some(hit) = ANSWERS.longest_at(doc, i) {
            let w = hit.phrase.weight;
            if w == UNSURE {
                return Answer::Unsure;
            }
            match polarity {
                Some(p) if p != w => return Answer::Unsure,
                _ => polarity = Some(w),
            }
            i += hit.len;
        } else if polarity.is_none() && OPENERS.contains(&doc.tok(i)) {
            i += 1;
        } else {
            break;
        }
    }
    match polarity {
        Some(p) if p > 0.0 => Answer::Yes,
        Some(_) => Answer::No,
        None => Answer::Nothing,
    }
}

/// The visitor rejects the agent's answer.
pub(crate) static REJECTS: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::new(&[
        (
            "en",
            0.9,
            "doesn t help; doesnt help; does not help; didn t help; didnt help; did not help; \
             not helpful; unhelpful; no help; not what i asked; not what i m asking; \
             not what i am asking; not my question; you didn t answer; you did not answer; \
             didn t answer my question; doesn t answer my question; not answering my question; \
             you already said that; you said that already; already told me that; \
             you keep saying; same answer; same thing again; that s wrong; that is wrong; \
             thats wrong; wrong answer; that s not right; thats not right; that s incorrect; \
             that is incorrect; that s not true; irrelevant; not relevant; makes no sense; \
             doesn t make sense; that s not it; thats not it; you re not listening; \
             you don t understand; you dont understand; you misunderstood; read my question; \
             that s not what i meant; not what i meant; answer my question; useless answer",
        ),
        (
            "es",
            0.9,
            "no ayuda; no me ayuda; no me ayudó; no me sirve; eso no sirve; no es lo que pregunté; \
             no es lo que pregunte; no es mi pregunta; no respondes; no responde mi pregunta; \
             no contestas; ya me dijiste eso; ya lo dijiste; me repites lo mismo; lo mismo otra vez; \
             eso está mal; eso esta mal; no es correcto; es incorrecto; no es cierto; \
             no tiene sentido; no me entiendes; no entiendes; no me refería a eso; \
             no es eso; respuesta equivocada; eso no es",
        ),
        (
            "fr",
            0.9,
            "ça n aide pas; ca n aide pas; ça ne m aide pas; ca ne m aide pas; ça m aide pas; \
             ne m aide pas; pas utile; ce n est pas ce que j ai demandé; c est pas ce que j ai demandé; \
             pas ce que j ai demandé; pas ma question; vous ne répondez pas; tu ne réponds pas; \
             ne répond pas à ma question; vous l avez déjà dit; tu l as déjà dit; déjà dit; \
             toujours la même réponse; même réponse; c est faux; c est pas vrai; c est incorrect; \
             ce n est pas correct; ça n a aucun sens; ca n a aucun sens; hors sujet; \
             vous ne comprenez pas; tu ne comprends pas; tu comprends pas; ce n est pas ça; \
             c est pas ça",
        ),
        (
            "de",
            0.9,
            "hilft nicht; hilft mir nicht; hat nicht geholfen; nicht hilfreich; \
             das habe ich nicht gefragt; hab ich nicht gefragt; nicht meine frage; \
             beantwortet meine frage nicht; beantworten meine frage nicht; \
             das haben sie schon gesagt; das hast du schon gesagt; schon gesagt; \
             immer dieselbe antwort; immer die gleiche antwort; das ist falsch; ist falsch; \
             stimmt nicht; das stimmt nicht; ergibt keinen sinn; macht keinen sinn; \
             sie verstehen mich nicht; du verstehst mich nicht; verstehst mich nicht; \
             das meinte ich nicht; thema verfehlt; am thema vorbei",
        ),
        (
            "pl",
            0.9,
            "to nie pomaga; nie pomaga; nie pomogło; nie pomoglo; nie o to pytałem; \
             nie o to pytałam; nie o to pytalem; nie o to pytalam; nie o to chodzi; \
             nie odpowiadasz; nie odpowiada na pytanie; już to mówiłeś; już to mówiłaś; \
             już to pisałeś; juz to mowiles; to samo w kółko; ta sama odpowiedź; \
             to jest błędne; błędna odpowiedź; to nieprawda; nieprawda; to źle; źle odpowiadasz; \
             nie ma sensu; bez sensu; nie rozumiesz; nie rozumiesz mnie; to nie to",
        ),
        (
            "pt",
            0.9,
            "não ajuda; nao ajuda; não ajudou; nao ajudou; não me ajudou; nao me ajudou; \
             não serve; nao serve; não foi isso que perguntei; nao foi isso que perguntei; \
             não foi o que eu perguntei; não é minha pergunta; não respondeu; nao respondeu; \
             não responde; nao responde; você já disse isso; voce ja disse isso; já disse isso; \
             ja disse isso; mesma resposta; isso está errado; isso esta errado; está errado; \
             esta errado; resposta errada; não é verdade; não faz sentido; nao faz sentido; \
             você não entende; voce nao entende; não entendeu; nao entendeu; não é isso; nao e isso",
        ),
        (
            "it",
            0.9,
            "non aiuta; non mi aiuta; non mi ha aiutato; non è utile; non e utile; inutile; \
             non è quello che ho chiesto; non e quello che ho chiesto; non ho chiesto questo; \
             non è la mia domanda; non rispondi; non risponde alla domanda; l hai già detto; \
             l hai gia detto; già detto; gia detto; sempre la stessa risposta; stessa risposta; \
             è sbagliato; e sbagliato; risposta sbagliata; non è vero; non e vero; non ha senso; \
             non capisci; non mi capisci; non è questo; non e questo",
        ),
    ])
});

/// The agent's text points the visitor to support / a human channel.
pub(crate) static SUGGESTS_SUPPORT: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::new(&[
        (
            "en",
            0.9,
            "contact our support; contact support; contact our customer; contact customer service; \
             contact customer support; contact our team; contact the support team; \
             contact our help desk; reach out to our; reach out to support; \
             reach out to customer; reach out to the support; get in touch with our; \
             get in touch with support; get in touch with customer; contact us at; \
             contact us directly; email us at; call us at; give us a call; please call; \
             speak with our support; speak to our support; support team will; \
             our support team can; customer service team; customer support team; \
             open a support ticket; submit a ticket; submit a support ticket; raise a ticket; \
             contact a representative; speak with a representative; speak to a representative; \
             talk to a human agent; contact one of our",
        ),
        (
            "es",
            0.9,
            "contacta con nuestro; contacte con nuestro; contacta a nuestro; contacte a nuestro; \
             ponte en contacto con; póngase en contacto con; pongase en contacto con; \
             comunícate con; comuniquese con; comunícate con nuestro; servicio de atención al cliente; \
             atención al cliente; equipo de soporte; nuestro soporte; escríbenos a; \
             escribenos a; llámanos al; llamanos al; abre un ticket; abrir un ticket",
        ),
        (
            "fr",
            0.9,
            "contactez notre; contacter notre; contactez le service; contacter le service; \
             contactez nous; contactez le support; service client; notre support; \
             équipe support; équipe d assistance; écrivez nous à; ecrivez nous a; \
             appelez nous au; ouvrir un ticket; prenez contact avec",
        ),
        (
            "de",
            0.9,
            "wenden sie sich an; wende dich an; kontaktieren sie unseren; kontaktieren sie unser; \
             kontaktieren sie den; kontaktiere unseren; unseren kundenservice; unser support; \
             unseren support; unser kundendienst; unseren kundendienst; support team; \
             schreiben sie uns; rufen sie uns an; ein ticket eröffnen; ein ticket erstellen; \
             setzen sie sich mit; in verbindung setzen",
        ),
        (
            "pl",
            0.9,
            "skontaktuj się z; skontaktuj sie z; prosimy o kontakt z; proszę o kontakt z; \
             skontaktować się z; skontaktowac sie z; dział obsługi; dzial obslugi; \
             biuro obsługi klienta; obsługą klienta; obsluga klienta; naszym zespołem wsparcia; \
             zespół wsparcia; napisz do nas; zadzwoń do nas; zadzwon do nas; utwórz zgłoszenie; wyślij zgłoszenie",
        ),
        (
            "pt",
            0.9,
            "entre em contato com; entre em contacto com; contate nosso; contate o suporte; \
             fale com nosso; fale com o suporte; fale com o atendimento; nosso suporte; \
             nossa equipe de suporte; equipe de atendimento; central de atendimento; \
             atendimento ao cliente; envie um email para; ligue para; abra um chamado",
        ),
        (
            "it",
            0.9,
            "contatta il nostro; contatti il nostro; contattare il nostro; contatta l assistenza; \
             contatti l assistenza; contattare l assistenza; servizio clienti; assistenza clienti; \
             il nostro supporto; team di supporto; scrivici a; chiamaci al; apri un ticket; \
             mettiti in contatto",
        ),
    ])
});

/// The agent's text admits it does not know.
pub(crate) static LACKS_KNOWLEDGE: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::new(&[
        (
            "en",
            0.9,
            "i don t have information; i do not have information; i don t have any information; \
             i do not have any information; i don t have details; i don t have specific; \
             i don t have that information; i don t have access; i do not have access; \
             i don t know; i do not know; i m not sure; i am not sure; i m not certain; \
             i couldn t find; i could not find; i can t find; i cannot find; i was unable to find; \
             i m unable to find; i am unable to find; i m unable to answer; i am unable to answer; \
             i can t answer; i cannot answer; i m not able to; i am not able to; \
             no information about; no information on; not in my knowledge; beyond my knowledge; \
             outside my knowledge; don t have enough information; unable to help with; \
             i m afraid i don t; i m sorry i don t; i have no information; \
             not something i can help with; i can t help with that; i cannot help with that; \
             unfortunately i don t",
        ),
        (
            "es",
            0.9,
            "no tengo información; no tengo informacion; no dispongo de información; \
             no dispongo de informacion; no sé; no lo sé; no estoy seguro; no estoy segura; \
             no encontré; no encontre; no pude encontrar; no puedo encontrar; \
             no puedo responder; no tengo acceso; no tengo datos; no cuento con información; \
             no tengo esa información",
        ),
        (
            "fr",
            0.9,
            "je n ai pas d information; je n ai pas d informations; je n ai pas cette information; \
             je ne sais pas; je ne suis pas sûr; je ne suis pas sûre; je ne suis pas certain; \
             je n ai pas trouvé; je n ai trouvé aucune; je ne trouve pas; je ne peux pas répondre; \
             je n ai pas accès; aucune information",
        ),
        (
            "de",
            0.9,
            "ich habe keine informationen; dazu habe ich keine; ich weiß nicht; ich weiss nicht; \
             ich bin mir nicht sicher; ich bin nicht sicher; ich konnte keine; ich konnte nichts; \
             ich finde keine; ich kann nicht beantworten; kann ich nicht beantworten; \
             ich habe keinen zugriff; keine informationen",
        ),
        (
            "pl",
            0.9,
            "nie mam informacji; nie posiadam informacji; nie wiem; nie jestem pewien; \
             nie jestem pewna; nie znalazłem; nie znalazłam; nie udało mi się znaleźć; \
             nie mogę znaleźć; nie potrafię odpowiedzieć; nie mogę odpowiedzieć; \
             nie mam dostępu; brak informacji",
        ),
        (
            "pt",
            0.9,
            "não tenho informações; nao tenho informacoes; não tenho informação; \
             não possuo informações; não sei; nao sei; não tenho certeza; nao tenho certeza; \
             não encontrei; nao encontrei; não consegui encontrar; não consigo encontrar; \
             não posso responder; não consigo responder; não tenho acesso; sem informações",
        ),
        (
            "it",
            0.9,
            "non ho informazioni; non dispongo di informazioni; non so; non lo so; \
             non sono sicuro; non sono sicura; non ho trovato; non sono riuscito a trovare; \
             non riesco a trovare; non posso rispondere; non ho accesso; nessuna informazione",
        ),
    ])
});
