//! Explicit requests to talk to a person.
//!
//! The rule is structural rather than a list of sentences. Every *person noun* ("human",
//! "agent", "konsultantem", "quelqu'un", "customer service"…) is a candidate. From it the
//! detector walks backwards (and a little forwards, for verb-final German/Polish and relative
//! clauses) over *passable* words — articles, prepositions, pronouns, "real/live", "please" —
//! collecting *cues* on the way:
//!
//! - a communication verb in a requesting form ("talk", "hablar", "parler", "sprechen",
//!   "porozmawiać", "falar", "parlare", "connect", "transfer", "pásame"…),
//! - a desire/modal ("want", "need", "can", "let me", "quiero", "je voudrais", "möchte",
//!   "chcę", "poproszę", "gostaria", "vorrei", "please"…),
//! - an existential ("is there", "hay", "gibt es", "c'è", "czy jest", "tem") or "available".
//!
//! Any other word stops the walk, which is what filters narratives and questions about the
//! bot: past forms ("talked", "hablé", "gesprochen", "rozmawiałem", "parlato") and the
//! progressive/present forms of "am I talking to" are deliberately *not* cues, and "are you",
//! "eres", "bist du" stop the walk before anything is found. A negation inside the walk or
//! just before it ("don't need", "pas besoin d'un", "keinen", "nie potrzebuję") cancels the
//! candidate; so do a possessive ("my travel agent", "mon agent"), a price context ("per
//! person", "por persona", "za osobę") and compounds ("human resources", "agent fee",
//! "agente de viajes").
//!
//! Generic persons ("someone", "person", "persona") need a communication verb ("can someone
//! explain…" is not a request) unless qualified as real ("real person", "persona real");
//! service nouns ("support", "customer service") need a communication verb too. Finally, a
//! short message made only of person nouns and politeness ("human please", "AGENT!",
//! "Mitarbeiter bitte", "atendente por favor") is a request, unless it is a bare question
//! about a generic person ("human?").

use std::sync::LazyLock;

use super::lexicon::WordMap;
use super::text::Doc;

/// A generic human: human, humano, Mensch, człowiek…
const HUMAN: u32 = 1 << 0;
/// A service role: agent, operator, representative, konsultant, atendente…
const STAFF: u32 = 1 << 1;
/// Anyone: someone, person, alguien, quelqu'un, jemand, ktoś, alguém, qualcuno…
const WEAK: u32 = 1 << 2;
/// A service: support, customer service, Kundendienst, obsługa, atendimento…
const SERVICE: u32 = 1 << 3;
/// real, live, vraie, echte, żywą, de verdade, vera…
const REAL: u32 = 1 << 4;
/// A communication verb in a requesting form.
const COMM: u32 = 1 << 5;
/// A participle ("transferred", "rappelé", "atendido"): a cue only after a desire in its clause.
const PART: u32 = 1 << 6;
/// Desire or modal.
const WANT: u32 = 1 << 7;
/// please, bitte, svp, por favor…
const POLITE: u32 = 1 << 8;
/// Articles, prepositions, pronouns, adverbs the walk may cross.
const FILL: u32 = 1 << 9;
const NEG: u32 = 1 << 10;
/// Existential: there, hay, gibt, jest, tem, esiste…
const EXIST: u32 = 1 << 11;
/// First person / relative pronoun that lets a verb *after* the person noun count
/// ("someone I can talk to", "alguien con quien pueda hablar").
const REL: u32 = 1 << 12;
/// my, his, mon, mein, mój… (not "your": "one of your agents" is a request).
const POSS: u32 = 1 << 13;
/// Word that, right before a person noun, makes it not a person to talk to.
const PREV_BLOCK: u32 = 1 << 14;
/// Word that, right after a person noun, makes it a compound ("human resources").
const NEXT_BLOCK: u32 = 1 << 15;
/// available, disponible, verfügbar, dostępny…
const AVAIL: u32 = 1 << 16;
/// hi, hello, hola… (allowed in short messages).
const GREET: u32 = 1 << 17;
/// Articles and particles allowed in a short request ("an agent please", "un humain svp").
const SHORT_FILL: u32 = 1 << 19;
/// Conjunctions and prepositions that may follow the person noun of a request without
/// making it the subject of another verb ("I need an agent because…", "a human about…").
const AFTER_OK: u32 = 1 << 18;

const PERSON: u32 = HUMAN | STAFF | WEAK | SERVICE;
const PASS_BACK: u32 = PERSON | REAL | COMM | PART | WANT | POLITE | FILL | NEG | POSS | AVAIL;
const PASS_FWD: u32 = PERSON | REAL | COMM | PART | WANT | POLITE | FILL | REL | AVAIL;
const SHORT_OK: u32 = PERSON | REAL | COMM | WANT | POLITE | SHORT_FILL | AVAIL | GREET;

const MAX_BACK: usize = 9;
const MAX_FWD: usize = 7;
const SHORT_MAX: usize = 6;

static WORDS: LazyLock<WordMap> = LazyLock::new(|| {
    WordMap::new(&[
        (
            HUMAN,
            "human humans humano humanos humana humain humains mensch menschen menschlichen \
             człowiek człowieka człowiekiem człowiekowi ludźmi umano umani",
        ),
        (
            STAFF,
            // en
            "agent agents operator operators representative representatives rep reps \
             consultant consultants advisor adviser advisors supervisor manager staff \
             employee employees specialist attendant technician \
             agente agentes operador operadora asesor asesora representante ejecutivo ejecutiva \
             encargado encargada gerente empleado empleada consultor consultora especialista \
             conseiller conseillère conseillers opérateur opératrice interlocuteur responsable \
             technicien employé gestionnaire superviseur collaborateur représentant \
             mitarbeiter mitarbeiterin mitarbeiterinnen berater beraterin ansprechpartner \
             ansprechpartnerin sachbearbeiter sachbearbeiterin kundenberater kundenberaterin \
             servicemitarbeiter vorgesetzten techniker verantwortlichen verantwortliche \
             verantwortlicher zuständigen zuständige chef \
             konsultant konsultanta konsultantem konsultantka konsultantką konsultantki \
             konsultantce doradca doradcy doradcę doradcą pracownik pracownika pracownikiem \
             agenta agentem operatora operatorem przedstawiciel przedstawiciela \
             przedstawicielem specjalista specjalisty specjalistą kierownik kierownika \
             kierownikiem \
             atendente atendentes funcionário funcionária técnico \
             operatore operatrice operatori consulente addetto addetta rappresentante \
             responsabile tecnico impiegato supervisore",
        ),
        (
            WEAK,
            "someone somebody anyone anybody person alguien persona quelqu quelquun personne \
             jemand jemanden jemandem kogoś ktoś kimś osoba osobę osobą alguém pessoa qualcuno",
        ),
        (
            SERVICE,
            "support service helpdesk hotline soporte servicio atención sav kundenservice \
             kundendienst kundensupport servicedesk obsługa obsługą obsługi obsługę wsparcie \
             wsparciem suporte atendimento sac assistenza supporto servizio",
        ),
        (
            REAL,
            "real live actual reale verdadera verdadero verdad vrai vraie véritable réel réelle \
             vivant vivante echte echten echter echt richtigen richtige richtiger lebende \
             lebenden żywa żywą żywy żywym żywego żywej prawdziwa prawdziwą prawdziwy \
             prawdziwym prawdziwego prawdziwej verdade vera vero vivo viva",
        ),
        (
            COMM,
            "talk speak chat discuss connect transfer contact reach escalate call forward redirect put \
             switch hand pass ring \
             hablar charlar conversar comunicar comunicarme comunicarse comuniquen comuniques \
             comunicas comunica contactar contactarme contacto pasar pasarme pásame pasame pasa \
             pasas pase pasen pases páseme transferir transfiéreme transfieran transferirme \
             conectar conéctame conecten llamar llamen llamarme llámame atender atienda atiendan \
             comunícame comunícanos contáctame transfiéranme pásenme conécteme \
             parler discuter joindre contacter passer passez passe transférer transférez \
             mettre mettez mets relation échanger rappeler rappelez rappelle appeler appelez \
             appelle \
             sprechen reden verbinden verbinde verbindet weiterleiten leiten leite chatten \
             telefonieren anrufen kontaktieren kontakt durchstellen besprechen \
             rozmawiać porozmawiać pogadać gadać połącz połączyć połączcie połączenie \
             połączenia przełącz przełączyć przekieruj kontaktu skontaktować skontaktuj \
             rozmowa rozmowy rozmowę rozmowie zadzwonić zadzwoni omówić \
             falar conversar discutir transfere transfira passar passa conecte contatar contato \
             ligar ligue chamar chama chame atenda coloca colocar coloque \
             parlare parlarne discutere chattare passare passi passami passatemi metti mettimi mettere \
             mettetemi contatto contattare contattatemi trasferire trasferisci trasferiscimi \
             collegare collegami chiamare chiama chiamami chiamatemi richiamare richiamatemi \
             sentire",
        ),
        (
            PART,
            "connected transferred escalated forwarded redirected put passed have avoir avere ter \
             tener haben mieć \
             transferido transferida comunicado atendido atendida rappelé transféré mis \
             verbunden weitergeleitet połączony połączona przełączony przełączona \
             trasferito trasferita collegato contattato richiamato",
        ),
        (
            WANT,
            "want wanna wants need needs like would could can cant cannot may let lemme give \
             gimme get prefer request require must gotta ask \
             quiero quisiera quería necesito necesitaría puedo podría podrías podrían puede \
             pueden puedes pueda puedan dame denme deseo desearía gustaría prefiero \
             veux voudrais voudrait peux pourrais pourriez pouvez puis souhaite souhaiterais \
             besoin aimerais donnez faut exige \
             möchte moechte möchten will wollen kann können koennen könnte koennte könnten \
             brauche brauchen gerne gern darf dürfte gib geben wünsche wuensche \
             chcę chciałbym chciałabym chcemy chcielibyśmy mogę może można proszę poproszę \
             potrzebuję potrzebuje daj dajcie wolałbym wolałabym prosić poprosić \
             quero queria gostaria preciso precisava posso pode podem poderia podia desejo \
             voglio vorrei puoi può potrei potrebbe potete potreste bisogno serve desidero \
             dammi datemi preferirei",
        ),
        (
            POLITE,
            "please pls plz plse pleas pleeease plis porfa favor porfavor favore svp stp plaît \
             bitte prosze proszę pfv pf gentilmente",
        ),
        (
            FILL,
            // en
            "a an the to with w me i u you ya just actually really right now asap immediately \
             directly quickly one of your ur some another different other through over from in \
             on for by this that customer customers team desk department dept being d ll t have up back here \
             possible able it urgent urgently urgente urgentemente dringend pilnie urgence \
             un una uno el la lo le los las con a al de del mi me te se yo ya ahora por que q \
             cual alguna algún otra otro directamente cliente clientes en ahí aquí tengo \
             une l les au aux avec par vers auprès d du des m moi je j vous tu s il en maintenant tout suite \
             client clients après vente ici rapidement ai qu \
             mit einem einer einen ein eine dem den der die das zu zum zur mich mir ich sie \
             ihnen an am jetzt sofort direkt doch mal gleich einmal kurz einfach vom von \
             telefon kunden habe \
             z ze mnie mi ja do o na jakimś jakąś jakiegoś jakiś teraz natychmiast od razu się \
             czy tam tutaj najlepiej klienta klientem jednym innym mam \
             um uma o os as com pra para pro pelo pela mim eu ao aos do da algum alguma outra \
             agora já logo aí aqui como direto diretamente vocês tenho \
             il gli con col di del degli delle da alla allo dal dalla della io ti ci per adesso ora subito \
             direttamente qualche altro in clienti vostro vostra vostri ho",
        ),
        (
            NEG,
            "not no never dont doesnt didnt wont don doesn didn won wouldn without \
             nunca sin ne pas jamais sans nicht kein keine keinen keinem keiner ohne nie bez \
             non nao não nem sem mai senza",
        ),
        (EXIST, "there hay tem jest gibt existe esiste"),
        (
            REL,
            "i je j ich yo eu io ja quien qui cui kim quem whom who dem which que q che \
             kogo którym którą",
        ),
        (
            POSS,
            "my his her their our mon ma mes son sa ses notre mein meine meinen meinem meiner \
             sein seine seinen seinem unser unsere mój moja mojego mojej mojemu jego jej nasz \
             moim moją moje mojemu meu minha mio mia",
        ),
        (
            PREV_BLOCK,
            "per par por za travel estate insurance secret free user shipping customs \
             tour mobile network ai ia bot virtual ki software recursos ressources \
             risorse derechos droits diritti direitos each every cada chaque jede jeder jeden \
             każda każdą każdy ogni",
        ),
        (
            NEXT_BLOCK,
            "resources resource readable rights error errors fee fees commission license \
             licence friendly like nature skills trafficking \
             viajes viaje viaggio viagens voyage voyages reisen immobilier immobiliare \
             inmobiliario imobiliário inmobiliaria imobiliária turystyczny turystycznego \
             nieruchomości jurídica física natural moral fisica giuridica seguros \
             aduana",
        ),
        (
            AVAIL,
            "available disponible disponibles disponibile disponibili verfügbar erreichbar \
             dostępny dostępna dostępnego disponível online",
        ),
        (
            SHORT_FILL,
            "a an the to with me i some one your ur just now asap right un una uno el la lo le \
             les l des du de del al con une au avec moi customer client ein eine einen einem \
             einer den dem der \
             die das mit zum z ze do mnie jakiś jakiegoś um uma o os com ao da il gli per mi",
        ),
        (
            AFTER_OK,
            "about regarding re because since cause cuz coz bc and or but so asap if \
             porque pues sobre acerca y o pero si parce car et ou mais pour concernant \
             weil denn und oder aber wegen bezüglich bo ponieważ bo i lub ale w sprawie \
             pois sobre e ou mas porque perché perche e o ma riguardo se",
        ),
        (
            GREET,
            "hi hello hey hola buenas bonjour salut slt hallo moin hej cześć czesc halo dzień \
             dobry oi olá ciao salve buongiorno good morning now ya asap ahora agora sofort \
             maintenant subito teraz",
        ),
    ])
});

/// A request found: how sure, and the evidence (folded text).
pub(crate) struct Found {
    pub score: f32,
    pub cue: String,
}

fn flags(doc: &Doc) -> Vec<u32> {
    (0..doc.len())
        .map(|i| {
            let x = WORDS.get(doc.tok(i));
            // "get me someone", "give me a human", "dame un agente", "daj mi człowieka":
            // a giving verb followed by "me" transfers like a communication verb.
            // "être humain", "ser humano", "essere umano": "human being", not "to be".
            if matches!(doc.tok(i), "etre" | "ser" | "essere")
                && matches!(doc.tok(i + 1), "humain" | "humano" | "umano")
            {
                return FILL;
            }
            let giving = matches!(
                doc.tok(i),
                "get"
                    | "give"
                    | "gimme"
                    | "dame"
                    | "daj"
                    | "dajcie"
                    | "dammi"
                    | "gib"
                    | "donnez"
                    | "donne"
                    | "da"
            );
            if giving
                && matches!(
                    doc.tok(i + 1),
                    "me" | "us" | "mi" | "mir" | "moi" | "mnie" | "nos"
                )
            {
                x | COMM
            } else {
                x
            }
        })
        .collect()
}

/// Token `j` is the verb of an existential ("is there", "hay", "gibt es", "il y a", "c'è").
fn is_exist(doc: &Doc, f: &[u32], j: usize) -> bool {
    if f.get(j).is_some_and(|x| x & EXIST != 0) {
        return true;
    }
    let prev = if j > 0 { doc.tok(j - 1) } else { "" };
    matches!(
        (prev, doc.tok(j)),
        ("gibt", "es") | ("t" | "a", "il") | ("c", "e") | ("ci", "sono") | ("il", "y")
    ) || (doc.tok(j) == "y" && doc.tok(j + 1) == "a")
}

fn blocked(doc: &Doc, f: &[u32], p: usize) -> bool {
    let prev = if p > 0 && !doc.brk(p) {
        f.get(p - 1).copied().unwrap_or(0)
    } else {
        0
    };
    let next = if doc.brk(p + 1) {
        0
    } else {
        f.get(p + 1).copied().unwrap_or(0)
    };
    if prev & PREV_BLOCK != 0 || next & NEXT_BLOCK != 0 {
        return true;
    }
    // "the agent's number" (but not French "un conseiller s'il vous plaît").
    if doc.tok(p + 1) == "s" && !doc.brk(p + 1) && doc.tok(p + 2) != "il" {
        return true;
    }
    // "agente de viajes", "agent d'assurance", "agente di viaggio".
    if matches!(doc.tok(p + 1), "de" | "di" | "do" | "da" | "d")
        && !doc.brk(p + 2)
        && f.get(p + 2).is_some_and(|x| x & NEXT_BLOCK != 0)
    {
        return true;
    }
    // Italian "a persona" (per person), German "pro Person", "contact person".
    p > 0
        && !doc.brk(p)
        && matches!(
            (doc.tok(p - 1), doc.tok(p)),
            ("a", "persona") | ("pro", "person") | ("contact" | "kontakt", "person" | "osoba")
        )
}

/// Whether a desire/modal occurs before token `i` in the same clause.
fn want_before(doc: &Doc, f: &[u32], i: usize) -> bool {
    let mut j = i;
    while j > 0 && !doc.brk(j) {
        j -= 1;
        if f.get(j).is_some_and(|x| x & WANT != 0) {
            return true;
        }
    }
    false
}

struct Walk {
    /// OR of the flags crossed, participles resolved to COMM when valid.
    cues: u32,
    start: usize,
    neg: bool,
    poss: bool,
    exist: bool,
}

fn walk_back(doc: &Doc, f: &[u32], p: usize) -> Walk {
    let mut w = Walk {
        cues: 0,
        start: p,
        neg: false,
        poss: false,
        exist: false,
    };
    let mut i = p;
    for _ in 0..MAX_BACK {
        if doc.brk(i) || i == 0 {
            break;
        }
        let j = i - 1;
        let x = f.get(j).copied().unwrap_or(0);
        if x & PASS_BACK == 0 {
            w.exist = is_exist(doc, f, j);
            // One word of look-behind for a negation ("non ho bisogno": "ho" is crossed,
            // "no thanks, I want…" is cut by the comma).
            break;
        }
        w.cues |= x;
        if x & PART != 0 && want_before(doc, f, j) {
            w.cues |= COMM;
        }
        w.neg |= x & NEG != 0;
        w.poss |= x & POSS != 0;
        // "czy jest dostępny konsultant", "is there an available agent".
        w.exist |= x & (EXIST | AVAIL) != 0;
        i = j;
    }
    w.start = i;
    w
}

fn walk_fwd(doc: &Doc, f: &[u32], p: usize) -> Walk {
    let mut w = Walk {
        cues: 0,
        start: p,
        neg: false,
        poss: false,
        exist: false,
    };
    let mut i = p + 1;
    for _ in 0..MAX_FWD {
        if i >= doc.len() || doc.brk(i) {
            break;
        }
        let x = f.get(i).copied().unwrap_or(0);
        if x & PASS_FWD == 0 {
            break;
        }
        w.cues |= x;
        i += 1;
    }
    w.start = i; // exclusive end, for fwd walks
    w
}

/// Nothing, or only a passable word, follows the person noun `p` in its clause.
fn free_after(doc: &Doc, f: &[u32], p: usize) -> bool {
    p + 1 >= doc.len()
        || doc.brk(p + 1)
        || f.get(p + 1).is_some_and(|x| x & (PASS_FWD | AFTER_OK) != 0)
}

fn candidate(doc: &Doc, f: &[u32], p: usize) -> Option<Found> {
    let fp = f.get(p).copied().unwrap_or(0);
    if fp & PERSON == 0 || blocked(doc, f, p) {
        return None;
    }
    let back = walk_back(doc, f, p);
    if back.neg || back.poss {
        return None;
    }
    let fwd = walk_fwd(doc, f, p);
    let real = (fp | back.cues | fwd.cues) & REAL != 0;
    let strong = fp & (HUMAN | STAFF) != 0 || (fp & WEAK != 0 && real);
    let back_comm = back.cues & COMM != 0;
    let back_want = back.cues & (WANT | POLITE) != 0;
    let fwd_comm = fwd.cues & COMM != 0;
    let fwd_valid =
        fwd_comm && (fwd.cues & (REL | WANT) != 0 || back_want || back_comm || back.exist);
    let (score, from, to) = if back_comm || fwd_valid {
        let score = if back_want || fwd.cues & WANT != 0 {
            0.95
        } else {
            0.85
        };
        (score, back.start, if back_comm { p + 1 } else { fwd.start })
    } else if !free_after(doc, f, p) {
        // Without a communication verb the person noun must end its phrase: otherwise it is
        // an adjective ("a human translation") or the subject of another verb ("can agents
        // see my messages?", "ich möchte Mitarbeiter einstellen").
        return None;
    } else if strong && (back_want || fwd.cues & POLITE != 0) {
        (0.85, back.start, if back_want { p + 1 } else { fwd.start })
    } else if strong && (back.exist || fwd.cues & AVAIL != 0) {
        let from = if back.exist {
            back.start.saturating_sub(1)
        } else {
            back.start
        };
        (0.75, from, if back.exist { p + 1 } else { fwd.start })
    } else {
        return None;
    };
    Some(Found {
        score,
        cue: doc.span(from, to).to_owned(),
    })
}

/// "human please", "AGENT!", "Mitarbeiter bitte", "atendente por favor", "real person".
fn short_request(doc: &Doc, f: &[u32]) -> Option<Found> {
    if doc.is_empty() || doc.len() > SHORT_MAX {
        return None;
    }
    let mut all = 0u32;
    let mut person = false;
    for (p, &x) in f.iter().enumerate() {
        if x & SHORT_OK == 0 || x & NEG != 0 {
            return None;
        }
        all |= x;
        person |= x & PERSON != 0 && !blocked(doc, f, p);
    }
    if !person {
        return None;
    }
    // "human?" / "a real person?" read as a question about the bot; "agent?" as a request.
    if doc.question && all & (STAFF | SERVICE | WANT | POLITE | COMM) == 0 {
        return None;
    }
    let score = if all & (HUMAN | STAFF | SERVICE | REAL) != 0 {
        0.8
    } else {
        0.6
    };
    Some(Found {
        score,
        cue: doc.buf.clone(),
    })
}

pub(crate) fn find(doc: &Doc) -> Option<Found> {
    let f = flags(doc);
    let mut best: Option<Found> = None;
    for p in 0..doc.len() {
        if f.get(p).is_some_and(|x| x & PERSON != 0) {
            if let Some(c) = candidate(doc, &f, p) {
                if best.as_ref().is_none_or(|b| c.score > b.score) {
                    best = Some(c);
                }
            }
        }
    }
    best.or_else(|| short_request(doc, &f))
}

/// Whether a person noun of the message is a look-alike the rules know: a compound ("human
/// resources", "agent fee"), after a blocking word ("travel agent", "per person") or a
/// possessive ("my agent"). The learned layer alone does not overrule these.
pub(crate) fn look_alike(doc: &Doc) -> bool {
    let f = flags(doc);
    (0..doc.len()).any(|p| {
        f.get(p).is_some_and(|x| x & PERSON != 0)
            && (blocked(doc, &f, p) || walk_back(doc, &f, p).poss)
    })
}

/// Whether the message contains a negated desire ("I don't need", "no quiero", "nie chcę").
pub(crate) fn negated_desire(doc: &Doc) -> bool {
    let f = flags(doc);
    let neg = |j: usize| f.get(j).is_some_and(|x| x & NEG != 0);
    (1..doc.len()).any(|i| {
        f.get(i).is_some_and(|x| x & WANT != 0)
            && !doc.brk(i)
            && (neg(i - 1) || (i >= 2 && !doc.brk(i - 1) && neg(i - 2)))
    })
}
