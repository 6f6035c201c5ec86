//! Frustration: explicit anger or dissatisfaction.
//!
//! Evidence is combined with a noisy-OR (`1 - Π(1 - wᵢ)`) and the message counts as frustrated
//! at [`THRESHOLD`]. Strong evidence fires alone: anger/insult words and idioms ("ridiculous",
//! "waste of time", "j'en ai marre", "Frechheit", "żenujące", "palhaçada", "vergogna"),
//! profanity, a negated satisfaction word ("not happy", "pas du tout satisfait", "nicht
//! zufrieden"), a message shouted in capitals, an angry emoji. Weak evidence needs company:
//! repetition markers ("again", "three times", "otra vez", "schon wieder", "znowu"),
//! complaints ("doesn't work", "no funciona"), "!!!", "?!", "???". A calm complaint ("my order
//! is late, where is it?") has at most one weak item and stays below the threshold. A mild
//! negative word right after a negation ("not bad", "pas mal", "nicht schlecht", "non male")
//! does not count.

use std::sync::LazyLock;

use super::lexicon::PhraseSet;
use super::text::{Doc, Surface};

pub(crate) const THRESHOLD: f32 = 0.5;

const STRONG: f32 = 0.9;
const MEDIUM: f32 = 0.7;
const MILD: f32 = 0.45;
/// Profanity: strong, and not cancelled by a negation before it ("not fucking working").
const PROFANE: f32 = 0.92;

static PHRASES: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::new(&[
        (
            "en",
            STRONG,
            "ridiculous; ridiculously; useless; worst; fed up; waste of time; waste of my time; \
             unacceptable; unbelievable; pathetic; incompetent; terrible; horrible; awful; \
             disgusting; disgraceful; disgrace; shameful; outrageous; scam; rip off; ripoff; \
             is a joke; what a joke; such a joke; stupid; dumb; idiot*; moron*; furious; pissed; angry; mad at; \
             frustrat*; infuriat*; annoying; annoyed; sick of; tired of; had enough; \
             enough is enough; fed up; sick and tired; this sucks; you suck; sucks; \
             hopeless; is garbage; is rubbish; is trash; nonsense; absurd; insane; unfair; \
             not fair; \
             i give up; are you kidding; you kidding me; for god s sake; for fuck s sake; \
             how many times; never again; lost my patience; losing my patience; \
             not acceptable; so done with",
        ),
        (
            "en",
            STRONG,
            "clueless; taking forever; takes forever; are you serious; nightmare; horrendous; \
             appalling; atrocious; shocking; lousy; worthless; pointless; livid; irritated; \
             irritating; nobody cares; no one cares; what the hell; the hell; disrespectful; \
             liars; lying to me; scammers; thieves; unprofessional; rude; beyond frustrated",
        ),
        (
            "en",
            MEDIUM,
            "third time; fourth time; fifth time; for the third time; asked twice; asked three \
             times; asked 3 times; already asked you; told you already; i already told you; \
             you people; ugh; argh; smh; again and again; over and over again",
        ),
        (
            "en",
            MILD,
            "come on; forever; so hard; so difficult; impossible; why is it so; why is this \
             so; why can t you; why cant you; no one helps; nobody helps",
        ),
        (
            "en",
            STRONG,
            "you ve got to be kidding; give me a break; for crying out loud; can t believe \
             this; cant believe this; what a mess; driving me crazy; drives me crazy; sick of \
             this; last straw; losing my mind",
        ),
        (
            "en",
            PROFANE,
            "fuck*; shit*; bullshit; crap*; damn*; wtf; ffs; wth; bs; asshole*; bloody hell",
        ),
        ("en", MEDIUM, "disappointed; disappointing; unhappy; dissatisfied; upset"),
        ("en", MILD, "bad; poor; slow; seriously; how many times; still; again; once again; three times; 3 times; \
             several times; many times; multiple times; keep asking; keep telling; already told; \
             already asked; you keep; over and over; nobody; no one; doesn t work; doesnt work; \
             not working; nothing works; still waiting; waiting for weeks; for hours"),
        (
            "es",
            STRONG,
            "ridículo; ridícula; inaceptable; inadmisible; inútil; inútiles; no sirve para nada; \
             no sirves para nada; no sirven para nada; el peor; la peor; pésimo; pésima; \
             harto; harta; hartos; estoy harto; pérdida de tiempo; perder el tiempo; vergüenza; \
             una vergüenza; vergonzoso; indignante; increíble que; estafa; estafadores; \
             una broma; patético; patética; incompetentes; horrible; terrible; asco; qué asco; \
             que asco; basura; me tienen cansado; me tienen harto; estoy cansado de; \
             estoy cansada de; ya basta; absurdo; una burla; un desastre; \
             furioso; furiosa; enojado; enojada; enfadado; enfadada; molesto; molesta; \
             cabreado; cabreada; es el colmo; colmo; no es justo",
        ),
        (
            "es",
            STRONG,
            "desastre; porquería; porqueria; falta de respeto; irrespetuoso; mentirosos; \
             ladrones; tomadura de pelo; tomando el pelo; no hay derecho; poca seriedad; poco \
             profesional; mal servicio; pésimo servicio; qué mal",
        ),
        (
            "es",
            MEDIUM,
            "no puede ser; tercera vez; cuarta vez; ya van tres; nadie me ayuda; nadie \
             responde; nadie contesta; no me hacen caso",
        ),
        (
            "es",
            STRONG,
            "un chiste; es un chiste; qué chiste; hasta las narices; hasta la coronilla; no me \
             jodas; manda huevos; me estás tomando el pelo",
        ),
        ("es", MILD, "llevo; esperando"),
        (
            "es",
            PROFANE,
            "mierda; joder; carajo; puta; puto; coño; hostia; cojones; pendejo*; chingad*; \
             verga",
        ),
        ("es", MEDIUM, "decepcionado; decepcionada; decepción; peor; cansado; cansada"),
        ("es", MILD, "malo; mala; mal; muy mal; muy malo; tan malo; otra vez; de nuevo; tres veces; varias veces; \
             mil veces; sigue sin; todavía; aún no; nadie; no funciona; nada funciona; \
             sigo esperando"),
        (
            "fr",
            STRONG,
            "c est nul; nuls; inadmissible; inacceptable; ridicule; inutile; inutiles; \
             en ai marre; marre; ras le bol; j en peux plus; en peux plus; perte de temps; \
             n importe quoi; honte; une honte; scandale; scandaleux; lamentable; pathétique; \
             incompétent*; horrible; nul à chier; foutez de moi; foutent de moi; foutre; \
             arnaque; escroc*; énervé; énervée; furieux; furieuse; exaspéré*; agacé; agacée; \
             insupportable; c est une blague; une blague; pire; catastrophique; débile*; \
             abusé; abusez; absurde; pas content; pas contente; pas juste",
        ),
        (
            "fr",
            STRONG,
            "honteux; c est honteux; manque de respect; irrespectueux; menteurs; voleurs; \
             foutage de gueule; vous vous moquez; se moquer de; pas sérieux; pas \
             professionnel; galère; j hallucine; c est pas possible; usant",
        ),
        (
            "fr",
            MEDIUM,
            "troisième fois; quatrième fois; fois que je demande; fois que je pose; personne \
             ne répond; personne ne m aide; ça fait des jours; ça fait des semaines",
        ),
        (
            "fr",
            STRONG,
            "ça commence à bien faire; incapables; incapable; vous plaisantez; vous rigolez; \
             se fout de moi; vous vous fichez de moi; ça suffit; j en ai assez",
        ),
        ("fr", PROFANE, "merde; putain; bordel; chier; connard*; fait chier; putin"),
        ("fr", MEDIUM, "déçu; déçue; décevant; décevante; nul"),
        ("fr", MILD, "mauvais; encore; encore une fois; toujours pas; troisième fois; trois fois; \
             plusieurs fois; personne ne; ça marche pas; marche pas; ne marche pas; \
             fonctionne pas; rien ne marche; j attends toujours"),
        (
            "de",
            STRONG,
            "frechheit; unverschämt*; lächerlich; nase voll; reicht mir; reicht jetzt; \
             zeitverschwendung; nutzlos; sinnlos; schlechteste*; katastrophe; katastrophal; \
             inakzeptabel; unzumutbar; skandal*; abzocke; betrug; betrüger; \
             sauer; wütend; stinksauer; genervt; nervt; nervig; ärgerlich; verarschen; \
             verarscht; ein witz; witzlos; armselig; peinlich; miserabel; grauenhaft; furchtbar; \
             schrecklich; unfähig*; bescheuert; dämlich; absurd; echt jetzt; nicht fair; \
             unfair",
        ),
        (
            "de",
            STRONG,
            "unfassbar; schlechter service; miserabler; respektlos; frech; lügner; verarsche; \
             es reicht; reicht s; das kann doch nicht sein; kann doch nicht sein; ärgere mich; \
             inkompetent; unprofessionell; unter aller sau; sauerei; zum kotzen; nervig",
        ),
        (
            "de",
            MEDIUM,
            "zum dritten mal; zum vierten mal; zum x ten mal; jedes mal; niemand antwortet; \
             niemand hilft; kein mensch antwortet; ständig",
        ),
        ("de", MILD, "unglaublich; schlechter"),
        (
            "de",
            STRONG,
            "schlechter scherz; soll das ein witz sein; regt mich auf; reg mich auf; aufregen; \
             reicht es; stinkt mir; schnauze voll; ich fasse es nicht; ich glaub es nicht",
        ),
        ("de", PROFANE, "scheiße; scheiß*; scheisse; verdammt*; mist; kacke; arsch*; verfluchte"),
        ("de", MEDIUM, "enttäuscht; enttäuschend; ungeduldig"),
        ("de", MILD, "schlecht; unmöglich; schon wieder; wieder; immer noch; noch immer; dritten mal; \
             drei mal; dreimal; mehrmals; zigmal; niemand; funktioniert nicht; klappt nicht; \
             geht nicht; nichts klappt; nichts funktioniert; warte seit"),
        (
            "pl",
            STRONG,
            "żenujące; żenujący; żenada; żenua; skandal*; mam dość; dość tego; mam tego dość; \
             bezużyteczn*; beznadziej*; strata czasu; tracę czas; najgorsz*; żart; jakiś żart; \
             kpina; kpiny; porażka; dziadostwo; tragedia; tragiczn*; masakra; okropn*; \
             fataln*; oszust*; oszukuj*; wkurz*; wściek*; zdenerwowan*; irytując*; \
             denerwując*; absurd*; to jest chore; to chore; nie do przyjęcia; szkoda gadać; \
             ile można; niesprawiedliw*",
        ),
        (
            "pl",
            STRONG,
            "brak szacunku; porażka; dramat; żałosne; żałosny; żałosna; olewacie; olewają; \
             oszuści; złodzieje; nieprofesjonaln*; frustrując*; wkurzając*; to samo w kółko",
        ),
        (
            "pl",
            MEDIUM,
            "znowu to samo; trzeci raz; który raz; po raz kolejny; ile razy; nikt nie \
             odpowiada; nikt nie pomaga; nikt nie odpisuje",
        ),
        (
            "pl",
            STRONG,
            "co to ma być; ręce opadają; nie wytrzymam; jaja sobie robicie; robicie sobie \
             jaja; żarty sobie robicie",
        ),
        (
            "pl",
            PROFANE,
            "kurwa; kurwy; kurde; cholera; chuj*; pierdol*; jprdl; jasna cholera; szlag",
        ),
        ("pl", MEDIUM, "rozczarowan*; zawiedzion*; zawiedzony"),
        ("pl", MILD, "słabo; co za; znowu; znów; ponownie; trzeci raz; trzy razy; kolejny raz; wiele razy; \
             nikt; nie działa; nic nie działa; nadal; ciągle; wciąż"),
        (
            "pt",
            STRONG,
            "absurdo; um absurdo; palhaçada; farto; farta; inútil; inúteis; perda de tempo; \
             vergonha; uma vergonha; vergonhoso; ridículo; ridícula; péssimo; péssima; \
             o pior; a pior; inaceitável; lamentável; horrível; terrível; golpe; \
             enganação; sacanagem; revoltante; revoltado; revoltada; irritado; irritada; \
             irritante; raiva; com raiva; chateado; chateada; puto; puta; que saco; q saco; \
             saco cheio; cansado de; cansada de; não aguento; nao aguento; incompetentes; \
             incompetente; descaso; uma piada; desrespeito; não é justo",
        ),
        (
            "pt",
            STRONG,
            "falta de respeito; mentirosos; ladrões; ladroes; roubo; enrolação; enrolacao; \
             enrolando; indignado; indignada; nojento; um lixo; que lixo; porcaria; \
             decepcionante; inadmissível; inadmissivel; sem noção; brincadeira",
        ),
        (
            "pt",
            MEDIUM,
            "terceira vez; quarta vez; mil vezes; ninguém responde; ninguem responde; ninguém \
             ajuda; ninguem ajuda; não é possível; nao e possivel",
        ),
        ("pt", STRONG, "de brincadeira; estão de brincadeira; não aguento mais"),
        ("pt", PROFANE, "porra; merda; caralho; foda*; fodido; pqp; bosta; droga; cacete; vsf"),
        ("pt", MEDIUM, "decepcionado; decepcionada; decepção; cansado; cansada; pior"),
        ("pt", MILD, "ruim; mau; de novo; outra vez; novamente; três vezes; várias vezes; \
             ninguém; não funciona; nada funciona; ainda não; continua sem"),
        (
            "it",
            STRONG,
            "vergogna; una vergogna; vergognoso; ridicolo; ridicola; stufo; stufa; stufi; \
             inutile; inutili; perdita di tempo; perdere tempo; peggior*; inaccettabile; \
             inammissibile; pessimo; pessima; schifo; che schifo; fa schifo; assurdo; \
             assurda; scandal*; vergognatevi; arrabbiat*; furioso; furiosa; incazzat*; \
             seccato; seccata; ne ho abbastanza; ridicoli; non è giusto; incompetent*; truffa; \
             truffatori; presa in giro; prendete in giro; uno scherzo; pazzesco; \
             una barzelletta; deludente; orribile; terribile; penoso; indecente",
        ),
        (
            "it",
            STRONG,
            "mancanza di rispetto; ladri; bugiardi; non è serio; poco professionale; non ne \
             posso più; non ne posso piu; scandaloso; allucinante; schifezza; una schifezza; \
             irritato; irritata; incavolato; incavolata; nervoso",
        ),
        (
            "it",
            MEDIUM,
            "terza volta; quarta volta; mille volte; nessuno risponde; nessuno mi aiuta; non è \
             possibile; non e possibile",
        ),
        (
            "it",
            STRONG,
            "prendendo in giro; prendi in giro; prendete in giro; non se ne può più; ma \
             scherziamo; stiamo scherzando; roba da matti; che palle; rotto le scatole; mi \
             avete stufato",
        ),
        ("it", PROFANE, "cazzo; cazzi; merda; vaffanculo; stronz*; minchia; porca; cavolo"),
        ("it", MEDIUM, "deluso; delusa; delusione"),
        ("it", MILD, "male; basta; ancora; di nuovo; un altra volta; tre volte; varie volte; più volte; \
             nessuno; non funziona; niente funziona; sto ancora aspettando"),
    ])
});

/// Satisfaction words: frustration when negated ("not happy", "nie jestem zadowolony").
static POSITIVE: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::new(&[(
        "",
        STRONG,
        "happy; satisfied; pleased; acceptable; \
         contento; contenta; satisfecho; satisfecha; aceptable; \
         satisfait; satisfaite; acceptable; \
         zufrieden; akzeptabel; \
         zadowolony; zadowolona; zadowoleni; usatysfakcjonowany; w porządku; \
         satisfeito; satisfeita; contente; aceitável; \
         soddisfatto; soddisfatta; contenti; felice; accettabile",
    )])
});

/// Thanks and praise.
static PRAISE: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::new(&[(
        "",
        1.0,
        "thank*; thx; love; great; amazing; awesome; perfect; excellent; wonderful; fantastic; \
         best; gracias; genial; perfecto; excelente; increíble; merci; génial; parfait; \
         excellent; super; top; danke; toll; perfekt; prima; klasse; dzięki; dziękuję; \
         super; świetnie; świetny; idealnie; obrigad*; ótimo; perfeito; maravilh*; \
         grazie; ottimo; perfetto; fantastico; bravi; bravo",
    )])
});

const NEG_WORDS: &[&str] = &[
    "not", "no", "never", "dont", "isn", "aren", "wasn", "don", "t", "nada", "nunca", "pas",
    "jamais", "nicht", "kein", "keine", "gar", "nie", "wcale", "non", "nao", "nem", "niente",
    "affatto", "mai", "ne",
];

/// A negation among the `window` tokens before token `i`, in the same clause ("not happy",
/// "not at all happy", "pas du tout satisfait", "nie jestem zadowolony").
fn negated(doc: &Doc, i: usize, window: usize) -> bool {
    let mut j = i;
    for _ in 0..window {
        if j == 0 || doc.brk(j) {
            return false;
        }
        j -= 1;
        let t = doc.tok(j);
        if NEG_WORDS.contains(&t) && !(t == "t" && matches!(doc.tok(j.wrapping_sub(1)), "can")) {
            return true;
        }
    }
    false
}

pub(crate) struct Found {
    pub score: f32,
    pub cue: String,
}

pub(crate) fn find(text: &str, doc: &Doc) -> Option<Found> {
    let mut keep = 1.0f32;
    let mut cues: Vec<(f32, String)> = Vec::new();
    let mut add = |w: f32, cue: String, cues: &mut Vec<(f32, String)>| {
        keep *= 1.0 - w.clamp(0.0, 0.99);
        cues.push((w, cue));
    };
    let mut covered_until = 0usize;
    for i in 0..doc.len() {
        if i < covered_until {
            continue;
        }
        let Some(hit) = PHRASES.longest_at(doc, i) else {
            continue;
        };
        covered_until = i + hit.len;
        let w = hit.phrase.weight;
        // "not bad", "pas mal", "nicht schlecht", "non male", "I'm not angry": a negated
        // single word does not count.
        if hit.len == 1 && w < PROFANE && negated(doc, i, 2) {
            continue;
        }
        add(w, hit.phrase.text.to_string(), &mut cues);
    }
    for i in 0..doc.len() {
        if let Some(hit) = POSITIVE.longest_at(doc, i) {
            if negated(doc, i, 4) {
                let cue = doc.span(i.saturating_sub(2), i + hit.len).to_owned();
                add(STRONG, cue, &mut cues);
            }
        }
    }
    // Capitals and "!!!" are enthusiasm, not anger, in "THANK YOU SO MUCH!!!": with praise
    // and no frustration words, the surface signals are ignored.
    if cues.is_empty() && PRAISE.best(doc).is_some() {
        return None;
    }
    let s = Surface::of(text);
    let cased = s.upper + s.lower;
    if cased >= 8 && s.upper * 10 >= cased * 7 && s.caps_words >= 2 {
        add(0.6, "ALL CAPS".into(), &mut cues);
    } else if s.caps_words >= 1 && s.lower > 0 && cased >= 12 {
        add(0.25, "words in capitals".into(), &mut cues);
    }
    if s.angry_emoji {
        add(0.7, "angry emoji".into(), &mut cues);
    } else if s.annoyed_emoji {
        add(0.4, "annoyed emoji".into(), &mut cues);
    }
    if s.max_bang_run >= 3 {
        add(0.35, "!!!".into(), &mut cues);
    } else if s.max_bang_run == 2 {
        add(0.25, "!!".into(), &mut cues);
    }
    if s.interrobang {
        add(0.35, "?!".into(), &mut cues);
    }
    if s.max_question_run >= 3 {
        add(0.3, "???".into(), &mut cues);
    } else if s.max_question_run == 2 {
        add(0.2, "??".into(), &mut cues);
    }
    let score = 1.0 - keep;
    if score < THRESHOLD {
        return None;
    }
    cues.sort_by(|a, b| b.0.total_cmp(&a.0));
    let cue = cues
        .iter()
        .take(3)
        .map(|(_, c)| c.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    Some(Found { score, cue })
}
