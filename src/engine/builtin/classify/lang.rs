//! Language guess among en, es, fr, de, pl, pt, it: frequent function words (one point per
//! word, to every language that uses it) plus letters only some of the languages use (ñ ¿ ¡
//! for Spanish, ß ä ö ü for German, ą ę ł ś ź ż ć ń for Polish, ã õ for Portuguese, ç for
//! French/Portuguese, è à ù ê for French/Italian…). A clear winner is required: otherwise None.

use std::sync::LazyLock;

use super::lexicon::WordMap;
use super::text::{clip, Doc};

pub(crate) const LANGS: [&str; 7] = ["en", "es", "fr", "de", "pl", "pt", "it"];

static STOP: LazyLock<WordMap> = LazyLock::new(|| {
    WordMap::new(&[
        (
            1 << 0,
            "the and is are you your i my to of it this that for with what how can please \
             thanks thank have not don do does where when why just would want need me be was \
             there help im we an order get our could will should been from they he she if or \
             but any yes hi hello hey talk speak someone anyone ur u its didn doesn isn s t m ll \
             ve re which who about again still already after before time times money refund \
             account price delivery shipping payment card back now here out up my mine yours \
             working works work doesnt dont cant wont got did has had were them their these \
             those than then only also very really much many more some something nothing \
             everything way well good bad great thing things know think see say said tell told \
             asked ask make made give take send sent pay paid buy bought still week weeks day \
             days today yesterday tomorrow hour hours minutes person people human agent",
        ),
        (
            1 << 1,
            "el la de los las que y es por para con una mi me pero gracias hola quiero puedo esta \
             esto donde como cuando tiene tengo muy hay del al lo porque favor pedido necesito \
             estoy ya usted hacer ayuda hablar alguien nada eso sirve cuanto cuesta todo mas \
             otra vez también tambien soy eres puede son están estan qué cómo dónde cuánto \
             cuántos cuantas cuántas tienen quisiera podría podrian podrían pasa pasame pásame \
             sirves tiempo pérdida perdida trabajo recursos humanos empresas empresa planes \
             cuenta precio envío envio compra comprar llegado llegó llego ayer hoy mañana \
             semana semanas días dias horas dinero devolución devolucion reembolso tarjeta \
             pago producto tienda funciona nadie siempre nunca hasta desde sobre entre \
             ahora aquí aqui allí alli bien mal bueno malo gracias oye vale vez veces \
             hablando comunicarme comunicar ejecutivo asesor persona personas usar pueden \
             necesitamos queremos estamos están hizo hace hecho dijo dijeron favor",
        ),
        (
            1 << 2,
            "le la de les des du et est je vous tu ne pas une que qui pour avec sur mon ma mes ce \
             c j d l m n qu merci bonjour oui non suis avez votre nous il elle au aux y ça ca \
             commande veux peux parler quelqu rien très tres fait été etre être moi toujours \
             encore combien où comment pourquoi svp quel quelle quels quelles sont vos leur \
             leurs dans par plus mais aussi alors donc déjà deja avoir fois temps perte \
             passez pouvez transférer transferer conseiller horaires livraison remboursement \
             argent carte paiement produit magasin marche fonctionne personne jamais depuis \
             hier aujourd demain semaine semaines jours heures ici là bien mal bon mauvais \
             voudrais voulez pouvez faire dit ont été avait cette ces cet chez sans sous \
             beaucoup peu trop vraiment juste seulement franchement",
        ),
        (
            1 << 3,
            "der die das da und ist ich sie nicht ein eine einen einem einer mit zu den dem auf \
             für von es wie was wo bitte danke mein meine kann habe bin bist du wir noch schon \
             auch aber gibt hallo sind haben hat nur mir mich über keine kein sprechen möchte \
             warum wann wieder immer jetzt hier doch mal ihr ihre ihnen gerne bestellung \
             lieferung rückerstattung geld karte zahlung produkt funktioniert geht seit \
             gestern heute morgen woche wochen tage stunden mitarbeiter kunden kundenservice \
             werden wurde würde könnte können muss müssen soll sollte will wollen brauche \
             nichts etwas alles sehr viel mehr zum zur beim vom im am als oder wenn dann \
             denn weil dass diese dieser dieses man uns euch sein seine war waren",
        ),
        (
            1 << 4,
            "w z o na się nie jest to czy do że ze jak co mam mnie mi proszę dziękuję dzięki \
             moja mój moje mogę chcę ale tak już jestem ktoś tylko za dla od po jaki jakie \
             gdzie kiedy bo tu tam czemu dlaczego ile pan pani nic nikt może być był była \
             można jeszcze znowu żeby zamówienie zamówienia paczka paczki przesyłka dostawa \
             zwrot pieniądze karta płatność produkt działa wczoraj dzisiaj jutro tydzień \
             tygodnie dni godzin godziny konsultant konsultantem człowiekiem rozmawiać \
             porozmawiać jesteś jesteście macie ma mają było były bardzo więcej trochę \
             wszystko coś ten ta te tego tej który która które przez przy pod nad oraz lub \
             albo także też dobrze źle raz razy",
        ),
        (
            1 << 5,
            "o os de do da dos das que e em no na um uma para pra com não nao sim por meu minha \
             você voce vocês voces obrigado obrigada olá ola oi quero posso está isso isto \
             como onde quando tem tenho muito já ele ela foi sou estou pedido preciso ainda \
             falar alguém alguem nada pelo pela ao também tambem seu sua eu aqui vez vezes \
             pode podem poderia passar perda tempo três tres perguntei quanto custa pessoa \
             pessoas nesse nessa neste esse essa este esta entrega reembolso dinheiro cartão \
             cartao pagamento produto loja funciona ninguém ninguem ontem hoje amanhã amanha \
             semana semanas dias horas atendente atendimento gostaria queria mas mais menos \
             bem mal bom ruim coisa tá ta né ne então entao agora depois antes sempre nunca",
        ),
        (
            1 << 6,
            "il lo la gli le di e che un una per con non sono mi ti ci si ho ha del della nel \
             nella al alla grazie ciao voglio posso vorrei questo questa come dove quando \
             perché perche anche ancora già mio mia sei cosa molto solo niente nessun parlare \
             qualcuno è più piu essere stato fatto volta volte tre quanto quante quanti costa \
             persona persone lavoro risorse umane avete abbiamo hanno possono usare mettimi \
             contatto assistenza clienti chiesto ordine consegna rimborso soldi carta \
             pagamento prodotto negozio funziona nessuno ieri oggi domani settimana \
             settimane giorni ore operatore tempo perdita dei degli delle nei sul sulla \
             dal dalla ma però pero allora quindi sempre mai bene male buono cattivo",
        ),
    ])
});

/// Letter sequences typical of one or two of the languages (half a point per word).
const NGRAMS: &[(&str, &[usize])] = &[
    ("th", &[0]),
    ("wh", &[0]),
    ("ing", &[0]),
    ("ould", &[0]),
    ("cion", &[1]),
    ("eau", &[2]),
    ("eux", &[2]),
    ("oi", &[2]),
    ("aux", &[2]),
    ("sch", &[3]),
    ("cht", &[3]),
    ("ung", &[3]),
    ("tz", &[3]),
    ("sz", &[4]),
    ("cz", &[4]),
    ("rz", &[4]),
    ("ow", &[0, 4]),
    ("nh", &[5]),
    ("lh", &[5]),
    ("cao", &[5]),
    ("oes", &[5]),
    ("gli", &[6]),
    ("zz", &[6]),
    ("zion", &[6]),
    ("cch", &[6]),
];

/// Points for letters that only some of the languages use.
fn letter_points(text: &str, score: &mut [f32; 7]) {
    let mut seen = [false; 7];
    for c in clip(text).chars() {
        let c = c.to_lowercase().next().unwrap_or(c);
        let hits: &[usize] = match c {
            'ñ' | '¿' | '¡' => &[1],
            'ß' | 'ä' | 'ö' | 'ü' => &[3],
            'ą' | 'ę' | 'ł' | 'ś' | 'ź' | 'ż' | 'ć' | 'ń' => &[4],
            'ã' | 'õ' => &[5],
            'ç' => &[2, 5],
            'è' | 'ù' => &[2, 6],
            'ê' | 'â' | 'î' | 'û' | 'œ' | 'ë' | 'ï' => &[2],
            'ò' | 'ì' => &[6],
            'ô' => &[2, 5],
            _ => &[],
        };
        for &l in hits {
            if let Some(s) = seen.get_mut(l) {
                *s = true;
            }
        }
    }
    for (l, s) in seen.iter().enumerate() {
        if *s {
            if let Some(x) = score.get_mut(l) {
                *x += 2.0;
            }
        }
    }
}

/// Per-language scores of a message.
pub(crate) fn scores(text: &str, doc: &Doc) -> [f32; 7] {
    let mut score = [0.0f32; 7];
    for t in doc.iter() {
        let bits = STOP.get(t);
        for (l, s) in score.iter_mut().enumerate() {
            if bits & (1 << l) != 0 {
                *s += 1.0;
            }
        }
        if t.len() >= 3 {
            for (gram, langs) in NGRAMS {
                if t.contains(gram) {
                    for &l in *langs {
                        if let Some(x) = score.get_mut(l) {
                            *x += 0.5;
                        }
                    }
                }
            }
        }
    }
    letter_points(text, &mut score);
    score
}

pub(crate) fn detect(text: &str, doc: &Doc) -> Option<&'static str> {
    let score = scores(text, doc);
    let mut best = 0usize;
    for l in 1..7 {
        if score.get(l) > score.get(best) {
            best = l;
        }
    }
    let top = score.get(best).copied().unwrap_or(0.0);
    let second = score
        .iter()
        .enumerate()
        .filter(|(l, _)| *l != best)
        .map(|(_, s)| *s)
        .fold(0.0f32, f32::max);
    if top >= 1.0 && top > second {
        LANGS.get(best).copied()
    } else {
        None
    }
}
