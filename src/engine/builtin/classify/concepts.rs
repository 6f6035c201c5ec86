//! Concepts of common support requests in seven languages: what a visitor's message (or an
//! action's description) is about, as ids rather than words, so "Bestellung", "commande",
//! "pedido" and "order" meet, and "where is my parcel" meets "shipped, the carrier and the
//! tracking number".
//!
//! Each concept lists words and phrases per language. An entry is found in a text by its
//! folded form, by its Snowball stem in its language (`rust-stemmers`; Polish, which Snowball
//! lacks, by a light suffix stripper of its own), by a prefix (`faktur*`), as a phrase of
//! such words (`money back`, `auf Lager`), as the head of a compound ("Zahn|reinigung",
//! "Kontroll|termin") or with one typo in a word of six letters or more (a swap of two
//! letters from five). The message's language, when it can be told, is tried first.
//! Everything is compiled once (`LazyLock`).

use std::collections::HashMap;
use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};

use super::lang;
use super::lexicon::FxMap;
use super::text::Doc;

/// The languages, in the order of the lexicon's columns.
pub(crate) const LANGS: [&str; 7] = ["en", "es", "fr", "de", "pl", "pt", "it"];

/// A concept: its name (for reasons shown to operators), the domain it belongs to (concepts of
/// one domain are related: "parcel" and "shipped"), how much it says about a request
/// (0–1: "where" says little, "invoice" much), and whether it is an intent that changes
/// what is asked ("cancel", "refund", "how much") rather than an object of it.
pub(crate) struct Concept {
    pub name: &'static str,
    pub domain: &'static str,
    pub strength: f32,
    pub intent: bool,
    /// Entries per language (en, es, fr, de, pl, pt, it), `,`-separated.
    words: [&'static str; 7],
}

macro_rules! concept {
    ($name:literal, $domain:literal, $strength:literal, $intent:literal,
     [$en:literal, $es:literal, $fr:literal, $de:literal, $pl:literal, $pt:literal, $it:literal $(,)?]) => {
        Concept {
            name: $name,
            domain: $domain,
            strength: $strength,
            intent: $intent,
            words: [$en, $es, $fr, $de, $pl, $pt, $it],
        }
    };
}

/// Entry syntax: a word is found by its folded form and by its stem; `=word` by its folded
/// form only (its stem would meet other words: "pedido"/"pedir"); `word*` by prefix; several
/// words form a phrase (each word by form, stem or prefix), found only inside one clause.
pub(crate) static CONCEPTS: &[Concept] =
    &[
        concept!("order", "order", 1.0, false, [
        "order, orders, ordered, ordering, purchase, purchases, purchased, bought, order number, \
         order no, my purchase",
        "=pedido, =pedidos, compra, compras, compré, =compre, comprado, comprada, encargo, \
         encargué, orden de compra",
        "commande, commandes, commandé, commandée, achat, achats, acheté, achetée",
        "bestellung, bestellungen, bestellt, bestellte, bestellnummer, bestell*, auftrag, \
         auftrags, auftragsnummer, kauf, gekauft, einkauf",
        "zamowien*, zamowil*, zakup*, kupil*, kupion*",
        "encomenda, encomendas, =pedido, =pedidos, compra, compras, comprei, comprado, comprada",
        "ordine, ordini, ordinato, ordinata, acquisto, acquisti, comprato, comprata",
    ]),
        concept!(
            "buy",
            "buy",
            0.8,
            true,
            [
                "buy, to order, can i order, could i order, do i order, place an order, \
         make an order, new order",
                "comprar, quiero pedir, quisiera pedir, hacer un pedido, realizar un pedido",
                "acheter, =commander, passer commande, passer une commande",
                "kaufen, =bestellen, eine bestellung aufgeben",
                "kupić, kupic, zamówić, zamowic, złożyć zamówienie, zlozyc zamowienie",
                "comprar, =encomendar, fazer um pedido, fazer uma encomenda",
                "comprare, =ordinare, fare un ordine",
            ]
        ),
        concept!(
            "subscription",
            "subscription",
            1.0,
            false,
            [
                "subscription, subscriptions, membership, newsletter, =subscribe",
                "suscripción, suscripciones, abono, membresía, =suscrito",
                "abonnement, abonnements, =abonné, adhésion",
                "abo, abos, abonnement, mitgliedschaft, newsletter",
                "subskrypcj*, abonament*, prenumerat*, członkostw*",
                "assinatura, assinaturas, subscrição, mensalidade",
                "abbonamento, abbonamenti, iscrizione",
            ]
        ),
        concept!("shipped", "shipment", 1.0, false, [
        "ship, ships, shipped, shipping, shipment, dispatch, dispatched, posted, on its way, \
         on the way, sent out, left the warehouse, out for delivery, gone out, go out, \
         been sent, shipped out",
        "enviado, enviada, envío, envíos, despachado, despachada, =salió, =salio, en camino, \
         ha salido, salió del almacén",
        "expédié, expédiée, expédition, expédier, envoyée, =envoyé, en route, en chemin, \
         est parti, est partie, quitté l'entrepôt, part quand",
        "versendet, verschickt, versandt, versand, verschicken, versenden, =unterwegs, \
         abgeschickt, losgeschickt, das lager verlassen, rausgegangen",
        "wyslan*, wysylk*, nadan*, w drodze, wyslal*, wyszła, wyszlo, wyszla, opuściła magazyn, \
         wyślecie, wyslecie",
        "enviado, enviada, =envio, envios, expedido, expedida, despachado, despachada, \
         a caminho, já saiu, saiu do armazém",
        "spedito, spedita, spedizione, spedire, inviato, inviata, in viaggio, in arrivo, \
         è partito, uscito dal magazzino",
    ]),
        concept!(
            "parcel",
            "shipment",
            1.0,
            false,
            [
                "parcel, parcels, package, packages, packet, shipment, box",
                "paquete, paquetes, =paquetería, envío, bulto",
                "colis, paquet, paquets",
                "paket, pakete, päckchen, =sendung, lieferung",
                "paczk*, paczc*, przesylk*, przesylc*",
                "pacote, pacotes, embalagem, volume",
                "pacco, pacchi, pacchetto, plico",
            ]
        ),
        concept!(
            "delivery",
            "shipment",
            1.0,
            false,
            [
                "delivery, deliveries, deliver, delivered, delivering",
                "entrega, entregas, entregado, entregada, entregar, reparto",
                "livraison, livraisons, livré, livrée, livrer",
                "lieferung, lieferungen, geliefert, liefern, liefert, zustellung, zugestellt, \
         liefertermin",
                "dostaw*, dostarcz*, doręcz*",
                "entrega, entregas, entregue, entregar, entregam",
                "consegna, consegne, consegnato, consegnata, consegnare",
            ]
        ),
        concept!("arrived", "shipment", 0.8, false, [
        "arrive, arrived, arrives, arriving, arrival, received, receive, reached me, \
         got it, come, came, turned up, showed up, waiting, still waiting, never came, shown up, \
         show up, eta, estimated delivery, expected delivery",
        "llegar, llegado, llegó, llegue, llega, llegan, =recibido, =recibí, =recibi, esperando, \
         sigo esperando",
        "arriver, arrivé, arrivée, arrive, arrivent, =reçu, =recu, =reçue, =recue, =reçus, \
         j'attends, attends toujours",
        "ankommen, angekommen, ankunft, kommt, erhalten, eingetroffen, zugestellt, warte, \
         warten",
        "doszl*, dotarl*, dojdzie, dotrze, przyszl*, przyjdzie, dostalem, dostalam, \
         otrzymal*, czekam",
        "chegar, chegou, chegaram, chegado, chega, =recebi, =recebido, recebida, à espera, \
         esperando",
        "arrivato, arrivata, arrivare, arriva, arrivano, =ricevuto, ricevuta, giunto, aspetto, \
         aspettando",
    ]),
        concept!(
            "tracking",
            "shipment",
            1.0,
            false,
            [
                "track, tracking, tracked, trace, tracking number, tracking code, tracking link",
                "seguimiento, rastreo, rastrear, localizador, número de seguimiento, tracking",
                "suivi, numéro de suivi, suivre mon colis, tracking, traçage",
                "sendungsverfolgung, verfolgung, sendungsnummer, trackingnummer, tracking, \
         verfolgen, paketverfolgung",
                "śledzen*, śledzić, numer przesyłki, numer paczki, numer śledzenia, \
         list przewozowy, tracking",
                "rastreio, rastreamento, rastrear, código de rastreio, código de rastreamento, \
         tracking",
                "tracciamento, tracking, tracciare, codice di tracciamento, numero di spedizione",
            ]
        ),
        concept!("carrier", "shipment", 0.8, false, [
        "carrier, carriers, courier, couriers, postman, dhl, ups, fedex, dpd, gls, usps, hermes",
        "transportista, mensajero, mensajería, correos, repartidor",
        "transporteur, livreur, la poste, colissimo, chronopost, coursier",
        "zusteller, paketdienst, kurier, postbote, versanddienstleister",
        "kurier*, inpost, paczkomat*, listonosz",
        "transportadora, correios, estafeta, entregador, ctt",
        "corriere, corrieri, poste, postino",
    ]),
        concept!(
            "status",
            "status",
            0.6,
            false,
            [
                "status, update, updates, news, progress, state",
                "estado, novedades, noticias, situación",
                "statut, état, nouvelles, où en est",
                "status, stand, neuigkeiten, bearbeitungsstand",
                "status*, stan, informacj*",
                "estado, situação, status, novidades, notícias",
                "stato, aggiornamento, aggiornamenti, novità, notizie",
            ]
        ),
        concept!(
            "where",
            "status",
            0.4,
            false,
            [
                "where, whereabouts",
                "dónde, donde",
                "où est, où sont, où en, où se trouve, où se trouvent",
                "wo, wo bleibt, wo ist, wo sind",
                "gdzie",
                "onde, cadê, cade",
                "dove, dov",
            ]
        ),
        concept!("cancel", "cancel", 1.0, true, [
        "cancel, cancels, cancelled, canceled, cancelling, canceling, cancellation, call off, \
         changed my mind, change my mind, don't want it anymore, do not want it anymore, \
         no longer want, stop the order",
        "cancelar, cancelen, cancele, cancela, cancelado, cancelación, anular, anulen, anule, \
         anula, anulado, anulación, cambié de opinión, ya no lo quiero, ya no la quiero, \
         ya no quiero",
        "annuler, annulez, annule, annulé, annulée, annulation, changé d'avis, \
         je ne veux plus, ne veux plus",
        "stornieren, storniert, storniere, stornierung, storno, stornieren sie, rückgängig, \
         absagen, sage ab, abbestellen, widerrufen, widerruf, anders überlegt",
        "anul*, rezygn*, zrezygn*, odwoł*, odwolac, rozmysl*, wycofa*",
        "cancelar, cancelem, cancele, cancela, cancelado, cancelamento, anular, anulem, \
         desistir, desisti, desistência, desmarcar, mudei de ideia",
        "annullare, annullate, annulla, annullato, annullamento, cancellare, cancellate, \
         disdire, disdetta, disdirlo, disdirla, cambiato idea",
    ]),
        concept!(
            "stock",
            "stock",
            1.0,
            false,
            [
                "stock, in stock, out of stock, sold out, back in stock, restock, restocked, \
         inventory, left in stock",
                "stock, existencias, agotado, agotada, agotados, inventario, en stock",
                "stock, en stock, rupture, épuisé, épuisée, réassort, inventaire",
                "lager, auf lager, lagernd, vorrätig, vorrat, ausverkauft, lagerbestand, \
         nicht mehr da",
                "na stanie, stan magazyn*, magazyn*, wyprzedan*, na magazynie",
                "estoque, stock, esgotado, esgotada, em estoque, em stock, inventário",
                "magazzino, esaurito, esaurita, scorte, giacenza, disponibilità in magazzino",
            ]
        ),
        concept!(
            "available",
            "stock",
            0.9,
            false,
            [
                "available, availability, unavailable",
                "disponible, disponibles, disponibilidad",
                "disponible, disponibles, disponibilité, indisponible",
                "verfügbar, verfügbarkeit, lieferbar, erhältlich, bestellbar",
                "dostępn*, niedostępn*",
                "disponível, disponíveis, disponibilidade, indisponível",
                "disponibile, disponibili, disponibilità",
            ]
        ),
        concept!("product", "stock", 0.6, false, [
        "product, products, item, items, article, sku, product code, model, size, unit, units, \
         pieces",
        "producto, productos, artículo, artículos, referencia, modelo, talla, unidad, unidades",
        "produit, produits, article, articles, référence, modèle, taille, unité, unités, \
         exemplaire, exemplaires",
        "produkt, produkte, artikel, artikelnummer, modell, größe, stück, exemplar",
        "produkt*, artykuł*, towar*, model*, rozmiar*, sztuk*, egzemplarz*",
        "produto, produtos, artigo, artigos, referência, modelo, tamanho, unidade, unidades",
        "prodotto, prodotti, articolo, articoli, modello, taglia, pezzi, pezzo, unità",
    ]),
        concept!("have", "stock", 0.4, false, [
        "do you have, do you still have, have you got, you got, any left, still have, left",
        "tienen, tenéis, tienes, queda, quedan, hay",
        "vous avez, avez vous, avez-vous, il reste, vous reste, en reste, reste-t-il, en avez",
        "habt ihr, haben sie, gibt es, noch da",
        "macie, posiadacie, czy jest, czy są",
        "têm, tem, vocês têm, ainda há, ainda tem",
        "avete, c'è, ci sono, è rimasto",
    ]),
        concept!(
            "check",
            "check",
            0.3,
            false,
            [
                "check, checks, checking, look up, looks up, verify, see if, find out",
                "comprobar, verificar, revisar, consultar, mirar",
                "vérifier, regarder, consulter",
                "prüfen, überprüfen, nachsehen, nachschauen, schauen",
                "sprawdz*, zweryfik*",
                "verificar, confirmar, ver se, consultar",
                "verificare, controllare, vedere se",
            ]
        ),
        concept!(
            "appointment",
            "appointment",
            1.0,
            false,
            [
                "appointment, appointments, appt, slot, time slot, booking",
                "cita, citas, turno, dar hora, una hora",
                "rendez-vous, rdv, créneau",
                "termin, termine, terminvereinbarung, terminanfrage",
                "wizyt*, termin*, umówion*",
                "consulta, consultas, marcação, horário, agendamento",
                "appuntamento, appuntamenti, visita",
            ]
        ),
        concept!(
            "book",
            "appointment",
            0.8,
            false,
            [
                "book, booking, schedule, reserve, make an appointment, set up, sign up",
                "reservar, agendar, pedir cita, pedir hora, programar, sacar cita, pedir turno",
                "réserver, prendre rendez-vous, prendre un rendez-vous, prendre rdv, fixer, \
         planifier, caler",
                "buchen, vereinbaren, reservieren, ausmachen, termin machen",
                "umówi*, umawi*, zarezerw*, zapisa*, zapis*, rezerwac*",
                "marcar, agendar, reservar, marcação",
                "prenotare, prenotazione, prenotarmi, fissare, prendere appuntamento",
            ]
        ),
        concept!("dental", "appointment", 1.0, false, [
        "dental, dentist, dentists, tooth, teeth, dentistry, orthodontist, hygienist, molar, \
         gum, gums",
        "dental, dentista, diente, dientes, muela, muelas, odontólogo, encía",
        "dentaire, dentiste, dent, dents, orthodontiste, gencive",
        "zahnarzt, zahnärztin, zahnarztpraxis, zahn, zähne, zahnärztlich, kieferorthopäde",
        "dentyst*, stomatolog*, ząb, zęby, zęba, zębów, zębami, zebow, dziąsł*",
        "dentista, dente, dentes, dentário, dentária, gengiva",
        "dentista, dente, denti, dentale, odontoiatra, gengiva",
    ]),
        concept!(
            "checkup",
            "appointment",
            0.9,
            false,
            [
                "checkup, check-up, check up, examination, exam, routine visit, control visit",
                "revisión, chequeo, control, reconocimiento, revision",
                "contrôle, bilan, visite de contrôle, examen",
                "kontrolle, vorsorge, vorsorgeuntersuchung, untersuchung, \
         kontrolluntersuchung",
                "przegląd*, kontrol*",
                "revisão, checkup, check-up, avaliação, consulta de rotina, revisao",
                "controllo, visita di controllo, check-up, checkup",
            ]
        ),
        concept!(
            "cleaning",
            "appointment",
            0.9,
            false,
            [
                "cleaning, clean, hygiene, scale and polish, scaling, teeth cleaning",
                "limpieza, higiene, limpieza dental, profilaxis",
                "détartrage, nettoyage, hygiène, détartrer",
                "reinigung, zahnreinigung, prophylaxe, pzr",
                "czyszczen*, higienizac*, skaling*, piaskowan*",
                "limpeza, higienização, destartarização, profilaxia",
                "pulizia, igiene, detartrasi, ablazione del tartaro",
            ]
        ),
        concept!(
            "visit",
            "appointment",
            0.5,
            false,
            [
                "visit, come in, see the dentist, consultation",
                "visita, consulta, ir a consulta",
                "visite, consultation, passer vous voir, passer au cabinet",
                "besuch, vorbeikommen",
                "przyjść, przyjsc",
                "visita, consulta",
                "visita, venire",
            ]
        ),
        concept!("date", "date", 0.3, false, [
        "date, day, today, tomorrow, next week, monday, tuesday, wednesday, thursday, \
         friday, saturday, sunday",
        "fecha, día, hoy, mañana, la semana que viene, lunes, martes, miércoles, jueves, \
         viernes, sábado, domingo",
        "date, jour, aujourd'hui, demain, semaine prochaine, lundi, mardi, mercredi, jeudi, \
         vendredi, samedi, dimanche",
        "datum, tag, heute, morgen, nächste woche, montag, dienstag, mittwoch, donnerstag, \
         freitag, samstag, sonntag",
        "data, dzień, dzis*, jutr*, poniedział*, wtor*, środ*, czwart*, piąt*, sobot*, \
         niedziel*",
        "data, dia, hoje, amanhã, segunda-feira, terça-feira, quarta-feira, quinta-feira, \
         sexta-feira, sábado, domingo",
        "data, giorno, oggi, domani, lunedì, martedì, mercoledì, giovedì, venerdì, sabato, \
         domenica",
    ]),
        concept!(
            "invoice",
            "invoice",
            1.0,
            false,
            [
                "invoice, invoices, invoiced, bill, bills, billing, receipt, receipts, \
         proof of purchase, proof of payment",
                "factura, facturas, =recibo, =recibos, comprobante, ticket de compra, boleta",
                "facture, factures, facturation, mon reçu, le reçu, un reçu, du reçu, votre reçu, \
         ce reçu, ticket de caisse, justificatif",
                "rechnung, rechnungen, rechnungskopie, quittung, beleg, kassenbon, kaufbeleg",
                "faktur*, paragon*, rachun*",
                "fatura, faturas, nota fiscal, =recibo, =recibos, comprovante, factura",
                "fattura, fatture, ricevuta, ricevute, scontrino",
            ]
        ),
        concept!(
            "copy",
            "invoice",
            0.8,
            false,
            [
                "copy, copies, duplicate, resend, re-send, send again, send it again, another copy",
                "copia, copias, duplicado, reenviar, reenvíen, reenvien, mandar de nuevo, \
         enviar de nuevo",
                "copie, duplicata, duplicata, renvoyer, renvoyez, réexpédier, renvoi",
                "kopie, duplikat, zweitschrift, erneut, nochmal, noch einmal, nochmals",
                "kopi*, duplikat*, ponown*, jeszcze raz",
                "cópia, segunda via, reenviar, reenviem, duplicado, de novo, novamente",
                "copia, duplicato, rimandare, rimandarmi, rimandate, reinviare, di nuovo",
            ]
        ),
        concept!(
            "send",
            "invoice",
            0.4,
            false,
            [
                "send, sent, email it, mail it, forward",
                "enviar, envíen, envien, mandar, manden, mandan, mándame, enviarme",
                "envoyer, envoyez, envoie, transmettre, envoyez-moi",
                "schicken, schickt, senden, zusenden, zuschicken, zukommen, übermitteln",
                "wyslac, wyślij*, wyslij*, przesła*, przesl*, przeslij*, prześlij*",
                "enviar, enviem, mandar, mandem, mandar-me",
                "inviare, inviate, mandare, mandate, mandarmi, inviarmi",
            ]
        ),
        concept!(
            "email",
            "invoice",
            0.5,
            false,
            [
                "email, e-mail, mail, inbox, email address",
                "correo, correo electrónico, email, mail, e-mail",
                "mail, e-mail, courriel, adresse mail, adresse e-mail, email",
                "e-mail, email, mail, mailadresse, e-mail-adresse, postfach",
                "email*, e-mail*, mail*, skrzynk*",
                "email, e-mail, correio eletrónico, correio eletrônico, mail",
                "email, e-mail, mail, posta elettronica",
            ]
        ),
        concept!(
            "again",
            "invoice",
            0.3,
            false,
            [
                "again, once more, one more time",
                "otra vez, de nuevo, nuevamente",
                "à nouveau, de nouveau, encore une fois",
                "wieder, nochmal, erneut",
                "znowu, ponownie, jeszcze raz",
                "de novo, novamente, outra vez",
                "di nuovo, ancora una volta, nuovamente",
            ]
        ),
        concept!("refund", "refund", 1.0, true, [
        "refund, refunds, refunded, reimburse, reimbursed, reimbursement, money back, \
         my money, repayment",
        "reembolso, reembolsar, reembolsen, devuelvan el dinero, devolver el dinero, \
         devolución del dinero, mi dinero, reintegro",
        "remboursement, rembourser, remboursez, remboursé, remboursée, mon argent",
        "rückerstattung, erstatten, erstattung, erstattet, geld zurück, mein geld, \
         rückzahlung, gutschrift",
        "zwrot pieniędzy, zwrot kasy, zwrotu pieniędzy, zwrócić pieniądze, oddać pieniądze, \
         refundac*, moje pieniądze",
        "reembolso, reembolsar, estorno, dinheiro de volta, meu dinheiro, devolução do dinheiro",
        "rimborso, rimborsare, rimborsato, i miei soldi, soldi indietro, restituzione dei soldi",
    ]),
        concept!(
            "return",
            "return",
            1.0,
            true,
            [
                "return, returns, returned, returning, send back, send it back, exchange, \
         exchanged",
                "devolver, devolución, devolucion, devuelvo, devuelva, devuelvan, devolverlo, \
         devolverla, cambio de talla",
                "retourner, retour, retours, rapporter, échanger, échange, renvoyer l'article",
                "zurückschicken, zurücksenden, zurückgeben, rücksendung, retoure, umtausch, \
         umtauschen, zurück, zuruck*",
                "zwrot*, zwróc*, zwrac*, oddać, wymian*",
                "devolver, devolução, devolucao, devolvo, trocar, troca",
                "restituire, restituisco, reso, resi, rimandare indietro, cambio",
            ]
        ),
        concept!("dispute", "dispute", 1.0, true, [
        "dispute, disputing, contest, chargeback, charged twice, billed twice, double charged, \
         double charge, overcharged, unauthorized, unauthorised, don't recognise, \
         don't recognize, do not recognise, do not recognize, wrong amount, fraudulent",
        "disputa, impugnar, no reconozco, cobraron dos veces, cobrado dos veces, \
         cobro indebido, cargo indebido, cobro duplicado",
        "contester, conteste, contestation, litige, je ne reconnais pas, débité deux fois, \
         facturé deux fois, prélevé deux fois",
        "widersprechen, widerspruch, einspruch, beanstanden, anfechten, zweimal abgebucht, \
         doppelt abgebucht, doppelt berechnet, nicht nachvollziehen",
        "kwestionuj*, zakwestion*, nie zgadzam się, pobrano dwa razy, pobrali dwa razy, \
         podwójnie pobrane, obciążyli dwa razy",
        "contestar, contestação, não reconheço, cobrado duas vezes, cobraram duas vezes, \
         cobrança indevida",
        "contestare, contestazione, non riconosco, addebitato due volte, doppio addebito",
    ]),
        concept!(
            "complaint",
            "dispute",
            0.8,
            false,
            [
                "complaint, complain, claim, wrong, incorrect, erroneous",
                "reclamar, reclamación, reclamo, queja, incorrecto, incorrecta, equivocado, equivocada",
                "réclamation, réclamer, plainte, erroné, erronée, incorrect, incorrecte",
                "reklamation, reklamieren, beschwerde, falsch, falsche, fehlerhaft",
                "reklamac*, reklamow*, zareklam*, skarg*, błędn*, niepoprawn*, nieprawidłow*",
                "reclamar, reclamação, queixa, errado, errada, incorreto, incorreta",
                "reclamo, reclamare, lamentela, sbagliato, sbagliata, errato, errata",
            ]
        ),
        concept!(
            "charge",
            "dispute",
            0.9,
            false,
            [
                "charge, charges, charged, debit, debited, transaction, billed",
                "cargo, cargos, cobro, cobros, cobraron, cobrado, cargaron, =cobrar",
                "prélèvement, prélevé, débit, débité, montant débité",
                "abbuchung, abgebucht, belastung, belastet, lastschrift",
                "obciążen*, obciąż*, pobran*, pobral*",
                "cobrança, cobranças, cobrado, cobraram, débito",
                "addebito, addebiti, addebitato, addebitata",
            ]
        ),
        concept!("pain", "urgent", 1.0, false, [
        "pain, painful, hurts, hurt, hurting, ache, aching, toothache, killing me, throbbing, \
         agony",
        "dolor, duele, duelen, doloroso, dolores, muela picada",
        "douleur, douleurs, douloureux, j'ai mal, mal aux dents, mal à une dent, \
         rage de dents",
        "schmerz, schmerzen, zahnschmerzen, schmerzhaft, tut weh, weh",
        "ból, bol, boli, bolą, bola, bolesn*, bolacy",
        "dor, dores, dói, doi, doendo, dolorido, dolorosa",
        "dolore, dolori, mal di denti, fa male, fa malissimo, doloroso",
    ]),
        concept!(
            "emergency",
            "urgent",
            1.0,
            false,
            [
                "emergency, emergencies, urgent, urgently, asap",
                "urgencia, urgencias, urgente, emergencia",
                "urgence, urgences, urgent, urgente",
                "notfall, notfälle, dringend, akut",
                "pilne, pilnie, pilny, nagły, nagle, nagłe",
                "urgência, urgente, emergência, urgencia",
                "urgenza, urgente, emergenza",
            ]
        ),
        concept!("injury", "urgent", 0.9, false, [
        "swollen, swelling, bleeding, abscess, infection, knocked out, chipped, broken tooth, \
         chipped tooth, cracked tooth",
        "hinchado, hinchada, hinchazón, sangrado, sangra, absceso, infección, diente roto, \
         muela rota",
        "gonflé, gonflée, enflé, saigne, abcès, infection, dent cassée",
        "geschwollen, schwellung, blutet, abszess, entzündung, entzündet, zahn abgebrochen, \
         abgebrochener zahn",
        "spuchn*, opuchl*, krwaw*, ropień, zapalen*, złamany ząb, ukruszony ząb",
        "inchado, inchada, sangrando, abscesso, infecção, dente partido, dente quebrado",
        "gonfio, gonfia, sanguina, ascesso, infezione, dente rotto",
    ]),
        concept!(
            "change",
            "change",
            0.8,
            true,
            [
                "change, modify, edit, alter, reschedule, move my, update my address, add, remove",
                "cambiar, modificar, cambio de dirección, reprogramar, añadir, agregar, quitar",
                "changer, modifier, décaler, reporter, ajouter, retirer",
                "ändern, änderung, umbuchen, verschieben, umändern, hinzufügen, entfernen",
                "zmieni*, zmian*, przełoż*, przeniesi*, dodać, dodac, usunąć, usunac",
                "alterar, mudar, modificar, remarcar, adicionar, acrescentar, tirar",
                "cambiare, modificare, spostare, aggiungere, togliere",
            ]
        ),
        concept!("policy", "policy", 0.8, false, [
        "do you ship, do you deliver, can you ship, can you deliver, you ship to, \
         you deliver to, ship internationally, ship abroad, international shipping, \
         shipping costs, shipping cost, delivery cost, delivery costs, delivery time, \
         delivery times, return policy, shipping policy, shipping options, delivery options",
        "envían, envian, enviáis, hacen envíos, hacéis envíos, envían a, envían al, enviáis, realizan envíos, \
         gastos de envío, costo de envío, coste de envío, tiempo de entrega, plazo de entrega, \
         envíos internacionales, política de devoluciones, entregan en",
        "livrez, livrez-vous, vous livrez, expédiez, vous expédiez, frais de port, \
         frais de livraison, délai de livraison, délais de livraison, politique de retour, \
         livraison internationale",
        "liefert ihr, liefern sie, versendet ihr, versenden sie, verschickt ihr, versandkosten, \
         lieferzeit, lieferkosten, ins ausland, rückgaberecht, rücksendebedingungen",
        "wysyłacie, dostarczacie, wysyłka za granicę, koszt wysyłki, koszty wysyłki, \
         koszt dostawy, czas dostawy, polityka zwrotów",
        "entregam, enviam, enviam para, fazem entregas, fazem envios, vocês enviam, vocês entregam, \
         portes de envio, custo de envio, frete, prazo de entrega, tempo de entrega, \
         política de devolução, envio internacional",
        "spedite, consegnate, fate spedizioni, spese di spedizione, costi di spedizione, \
         tempi di consegna, tempo di consegna, politica di reso, spedizione internazionale, \
         spedizioni internazionali",
    ]),
        concept!(
            "duration",
            "duration",
            0.8,
            true,
            [
                "how long",
                "cuánto tarda, cuanto tarda, cuánto tiempo, cuanto tiempo, cuánto demora",
                "combien de temps",
                "wie lange",
                "ile trwa, jak długo",
                "quanto tempo, quanto demora",
                "quanto tempo, quanto ci vuole",
            ]
        ),
        concept!("damaged", "damaged", 0.8, true, [
        "damaged, broken, defective, faulty, doesn't work, not working, wrong item, \
         missing item, scratched",
        "dañado, dañada, roto, rota, defectuoso, defectuosa, no funciona, estropeado",
        "endommagé, endommagée, cassé, cassée, abîmé, abîmée, défectueux, ne marche pas, \
         ne fonctionne pas",
        "beschädigt, kaputt, defekt, funktioniert nicht, zerbrochen",
        "uszkodzon*, zepsut*, wadliw*, nie działa, pęknięt*, rozbit*",
        "danificado, danificada, =partido, =partida, quebrado, quebrada, defeituoso, avariado, \
         não funciona",
        "danneggiato, danneggiata, rotto, rotta, difettoso, difettosa, non funziona",
    ]),
        concept!(
            "price",
            "price",
            0.8,
            true,
            [
                "price, prices, cost, costs, fee, fees, how much, pricing",
                "precio, precios, cuesta, cuestan, coste, costo, cuánto cuesta, tarifa",
                "prix, coûte, coute, coûtent, tarif, tarifs, combien coûte",
                "preis, preise, kostet, kosten, gebühr, wie viel kostet",
                "cena, ceny, kosztuje, koszt, koszty, opłat*",
                "preço, preços, custa, custo, quanto custa",
                "prezzo, prezzi, costa, costo, quanto costa, tariffa",
            ]
        ),
        concept!(
            "hours",
            "hours",
            0.8,
            true,
            [
                "opening hours, open, opens, opening, closing, closed, close",
                "horario, horarios, abren, abierto, abrís, cierran, cerrado",
                "horaires, horaire, ouvert, ouverte, ouverture, ouvrez, fermé, fermez",
                "öffnungszeiten, geöffnet, offen, öffnet, geschlossen, schließt",
                "godziny otwarcia, godzinach otwarcia, otwarte, czynne, otwieracie, zamknięte",
                "horário, horários, aberto, abertos, abrem, fechado, fecham",
                "orari, orario, aperto, aperti, apertura, chiuso, chiudete",
            ]
        ),
        concept!(
            "person",
            "person",
            0.8,
            true,
            [
                "human, person, agent, operator, representative, someone real, staff, real person",
                "persona, humano, agente, operador, asesor",
                "personne, humain, conseiller, conseillère, opérateur",
                "mensch, mitarbeiter, mitarbeiterin, berater",
                "człowiek*, konsultant*, osob*, pracownik*",
                "pessoa, humano, atendente, operador",
                "persona, umano, operatore, operatrice",
            ]
        ),
        concept!(
            "number",
            "number",
            0.3,
            false,
            [
                "number, no, nr, code, id, reference",
                "número, numero, código, referencia, nº",
                "numéro, numero, code, référence, n°",
                "nummer, nr, code, kennung",
                "numer, nr, kod",
                "número, numero, código, nº",
                "numero, codice, n",
            ]
        ),
        // Billing periods: also keeps "annuel"/"anual" from being read as a typo of
        // "annule"/"anula" (cancel).
        concept!(
            "period",
            "period",
            0.3,
            false,
            [
                "annual, annually, yearly, monthly, weekly, per year, per month, a year, a month",
                "anual, anuales, mensual, mensuales, semanal, al año, al mes, por año, por mes",
                "annuel, annuelle, annuels, mensuel, mensuelle, hebdomadaire, par an, par mois",
                "jährlich, jährliche, jahres*, monatlich, monatliche, wöchentlich, pro jahr, pro monat",
                "roczn*, miesięczn*, miesieczn*, tygodniow*, na rok, na miesiąc, na miesiac",
                "anual, anuais, mensal, mensais, semanal, por ano, por mês, por mes",
                "annuale, annuali, mensile, mensili, settimanale, all'anno, al mese",
            ]
        ),
        concept!(
            "demo",
            "interest",
            0.9,
            true,
            [
                "demo, demos, demonstration, trial, free trial, test drive, walkthrough, \
         try it out, try it",
                "demo, demostración, prueba gratuita, periodo de prueba, probarlo",
                "démo, demo, démonstration, essai gratuit, période d'essai, essayer",
                "demo, vorführung, testversion, probeversion, kostenlos testen, \
         testzugang, ausprobieren",
                "demo, demonstracj*, wersja próbna, wersja probna, okres próbny, \
         okres probny, przetestować, przetestowac",
                "demo, demonstração, demonstracao, teste grátis, teste gratis, \
         período de teste, experimentar",
                "demo, dimostrazione, prova gratuita, periodo di prova, provarlo",
            ]
        ),
        concept!(
            "quote",
            "interest",
            0.9,
            true,
            [
                "quote, quotation, estimate, proposal, offer for, =quote me",
                "presupuesto, cotización, cotizacion, oferta para",
                "devis, offre pour, estimation, proposition commerciale",
                "angebot, kostenvoranschlag, angebote, offerte",
                "wycen*, ofert*, kosztorys*",
                "orçamento, orcamento, cotação, cotacao, proposta",
                "preventivo, preventivi, quotazione, offerta per",
            ]
        ),
    ];

/// Support topics, for routing (`engine/builtin/routing.rs`): what a conversation is about,
/// across languages, by symptoms as well as categories. Read only by [`read_topics`] (ids
/// after those of [`CONCEPTS`]), so that choosing actions reads what it always read.
pub(crate) static TOPICS: &[Concept] = &include!("topics.rs");

/// Words that say nothing of the request: never part of a concept, never kept as an
/// unknown content word (stopwords of the seven languages, auxiliaries, politeness).
const FILLER: &str = "i me my mine you your we our us it its the a an to of in on at for with \
    and or but is are am was were be been being do does did have has had can could would \
    should will shall may might must want wanna need like please get got this that these those \
    there here some any so just also not no yes yet still already really very whether which \
    what who whom how when why if then than them they their he she his her hi hello hey thanks \
    thank ok okay sure given customer customers visitor handed asking ask asks use used using \
    about from by as into out up down over again more most much many one two three e g eg \
    lol sorry tell know let make made give know quand quando cuando kiedy wann hasn hasnt isn didn doesn don wasn wouldn \
    couldn t s d ll ve re m im id ive
    yo mi mis tu su sus el la los las un una unos unas de del al en con por para y o pero es \
    son soy está esta estoy estan están quiero quisiera necesito puedo pueden podría que qué \
    lo le les se me te nos ya muy más favor hola gracias buenas buenos tardes dias días \
    tengo tiene tienes hace hice era fue he ha han sí si no ese esa eso este esto \
    je j me moi mon ma mes tu te toi vous votre vos le la les l un une des de du d au aux en \
    et ou mais est suis ai as a avons avez ont veux voudrais voulez peux pouvez pourriez \
    puis que qu ce c cet cette ces s il elle ils elles on ne pas plus y très tres svp merci \
    bonjour salut été etre être fait faut dois doit encore toujours souhaite aimerais \
    ich mich mir mein meine meinen meiner meinem du dich dir sie ihr ihre ihnen der die das \
    den dem des ein eine einen einem einer und oder aber ist bin bist sind habe hast hat \
    haben hätte möchte möchten will wollen kann können könnte könnten würde wäre zu mit von \
    für auf in im am an es bitte danke hallo noch schon auch nicht kein keine keinen mal \
    gern gerne muss soll sollte was wie wann ob dass da ja nein sehr \
    ja mnie mi mój moja moje mojego mojej ty ten ta to tej tego w z na do i a ale jest są \
    chcę chce chciałbym chciałabym chcialbym chcialabym mogę moge możecie mozecie może moze \
    się sie że ze czy o po od za dla jak co proszę prosze poproszę poprosze dziękuję \
    dziekuje dzięki dzieki dzień dzien dobry cześć czesc już juz jeszcze dalej nadal tak \
    nie bardzo potrzebuję potrzebuje muszę musze by był była było zostało zostalo zostal \
    eu me meu minha meus minhas você voce vocês voces o a os as um uma uns umas de do da \
    dos das em no na nos nas com por para e ou mas é sou está esta estou quero queria \
    gostaria preciso posso podem pode que se já ja ainda muito obrigado obrigada olá ola \
    bom boa dia tarde favor foi era ser ter tenho tem \
    io mi me mio mia miei mie tu ti il lo la i gli le un uno una di del della dei delle al \
    alla da dal dalla in con per e o ma è sono sei ho hai ha abbiamo avete hanno voglio \
    vorrei posso potete può puoi che si ci già gia ancora molto grazie ciao buongiorno \
    serve mi serve stato stata favore per favore";

/// Negations, for "has not been shipped": a concept after one in its clause is a condition
/// of the description, not its topic.
const NEGATIONS: &str = "not no never nothing hasn isn didn doesn don wasn won t without \
    no nunca jamás jamas sin ne pas jamais sans nicht kein keine keinen keinem nie nigdy \
    bez não nao nunca sem non mai senza";

struct Entry {
    concept: u16,
    lang: u8,
}

/// A phrase: its words as (form or stem, is prefix).
struct PhraseEntry {
    words: Vec<(String, bool)>,
    concept: u16,
}

struct Lexicon {
    stemmers: [Option<Stemmer>; 7],
    /// Folded form → concepts (with their language).
    forms: FxMap<String, Vec<Entry>>,
    /// Per language: stem → concepts.
    stems: [FxMap<String, Vec<u16>>; 7],
    /// Per language: (prefix, concept), longest first.
    prefixes: [Vec<(String, u16)>; 7],
    /// Per language: first word's stem (or prefix) → phrases.
    phrases: [FxMap<String, Vec<PhraseEntry>>; 7],
    /// Forms of five letters or more, for one typo: (form, concepts), and their indexes by
    /// first letter and length.
    typo: Vec<(String, Vec<u16>)>,
    typo_index: FxMap<(u8, usize), Vec<usize>>,
    filler: FxMap<String, ()>,
    negations: FxMap<String, ()>,
}

fn fold(s: &str) -> String {
    super::text::normalize(s)
}

/// A light Polish stemmer: one inflectional ending removed when at least four letters remain
/// (folded text: "zamowienia" → "zamowien", "fakturze" → "fakturz").
fn polish_stem(w: &str) -> String {
    const ENDINGS: &[&str] = &[
        "owaniu", "owania", "owanie", "iami", "ach", "ami", "ego", "emu", "iem", "ych", "ymi",
        "ich", "imi", "owi", "om", "ow", "ie", "ia", "iu", "ej", "ym", "im", "a", "e", "i", "o",
        "u", "y",
    ];
    let n = w.chars().count();
    for e in ENDINGS {
        if let Some(rest) = w.strip_suffix(e) {
            if n - e.len() >= 4 {
                return rest.to_owned();
            }
        }
    }
    w.to_owned()
}

impl Lexicon {
    fn stem(&self, lang: usize, w: &str) -> String {
        match self.stemmers.get(lang).and_then(Option::as_ref) {
            Some(s) => s.stem(w).into_owned(),
            None => polish_stem(w),
        }
    }

    fn build(with_topics: bool) -> Lexicon {
        let stemmers = [
            Some(Stemmer::create(Algorithm::English)),
            Some(Stemmer::create(Algorithm::Spanish)),
            Some(Stemmer::create(Algorithm::French)),
            Some(Stemmer::create(Algorithm::German)),
            None,
            Some(Stemmer::create(Algorithm::Portuguese)),
            Some(Stemmer::create(Algorithm::Italian)),
        ];
        let mut lex = Lexicon {
            stemmers,
            forms: FxMap::default(),
            stems: Default::default(),
            prefixes: Default::default(),
            phrases: Default::default(),
            typo: Vec::new(),
            typo_index: FxMap::default(),
            filler: FxMap::default(),
            negations: FxMap::default(),
        };
        for w in FILLER.split_whitespace() {
            lex.filler.insert(fold(w), ());
        }
        for w in NEGATIONS.split_whitespace() {
            lex.negations.insert(fold(w), ());
        }
        let mut typo: HashMap<String, Vec<u16>> = HashMap::new();
        let topics: &[Concept] = if with_topics { TOPICS } else { &[] };
        for (id, c) in CONCEPTS.iter().chain(topics).enumerate() {
            let Ok(id) = u16::try_from(id) else { continue };
            for (lang, list) in c.words.iter().enumerate() {
                for raw in list.split(',') {
                    let raw = raw.trim();
                    if raw.is_empty() {
                        continue;
                    }
                    lex.add(id, lang, raw, &mut typo);
                }
            }
        }
        for p in &mut lex.prefixes {
            p.sort_by_key(|e| std::cmp::Reverse(e.0.len()));
        }
        let mut typo: Vec<(String, Vec<u16>)> = typo.into_iter().collect();
        typo.sort();
        for (i, (form, _)) in typo.iter().enumerate() {
            if let Some(&b) = form.as_bytes().first() {
                lex.typo_index.entry((b, form.len())).or_default().push(i);
            }
        }
        lex.typo = typo;
        lex
    }

    fn add(&mut self, id: u16, lang: usize, raw: &str, typo: &mut HashMap<String, Vec<u16>>) {
        let exact = raw.starts_with('=');
        let raw = raw.trim_start_matches('=');
        let prefix = raw.ends_with('*');
        let words: Vec<&str> = raw.split_whitespace().collect();
        if words.len() > 1 || fold(raw.trim_end_matches('*')).contains(' ') {
            // A phrase (or a word that folds into several: "rendez-vous", "c'è").
            let mut parts: Vec<(String, bool)> = Vec::new();
            for w in &words {
                let p = w.ends_with('*');
                let f = fold(w.trim_end_matches('*'));
                let sub: Vec<&str> = f.split(' ').filter(|s| !s.is_empty()).collect();
                let last = sub.len().saturating_sub(1);
                for (k, s) in sub.iter().enumerate() {
                    let is_prefix = p && k == last;
                    let key = if is_prefix {
                        (*s).to_owned()
                    } else {
                        self.stem(lang, s)
                    };
                    parts.push((key, is_prefix));
                }
            }
            let Some(first) = parts.first() else { return };
            let key = first.0.clone();
            if let Some(map) = self.phrases.get_mut(lang) {
                map.entry(key).or_default().push(PhraseEntry {
                    words: parts,
                    concept: id,
                });
            }
            return;
        }
        let form = fold(raw.trim_end_matches('*'));
        if form.is_empty() {
            return;
        }
        let lang8 = u8::try_from(lang).unwrap_or(0);
        if prefix {
            if form.chars().count() >= 3 {
                if let Some(p) = self.prefixes.get_mut(lang) {
                    p.push((form.clone(), id));
                }
                if form.chars().count() >= 6 {
                    typo.entry(form).or_default().push(id);
                }
            }
            return;
        }
        let e = self.forms.entry(form.clone()).or_default();
        if !e.iter().any(|x| x.concept == id && x.lang == lang8) {
            e.push(Entry {
                concept: id,
                lang: lang8,
            });
        }
        if form.chars().count() >= 5 {
            let t = typo.entry(form.clone()).or_default();
            if !t.contains(&id) {
                t.push(id);
            }
        }
        if !exact {
            let s = self.stem(lang, &form);
            if let Some(m) = self.stems.get_mut(lang) {
                let v = m.entry(s).or_default();
                if !v.contains(&id) {
                    v.push(id);
                }
            }
        }
    }
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::build(false));
static TOPIC_LEXICON: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::build(true));

/// A concept found in a text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Found {
    pub concept: u16,
    /// Index of the (first) token.
    pub at: usize,
    /// A negation comes before it in its clause ("has not been shipped").
    pub negated: bool,
}

/// What a text is about: its concepts, and the content words no concept explains (folded,
/// cut to six letters), each with whether it is negated.
#[derive(Debug, Default, Clone)]
pub(crate) struct Reading {
    pub found: Vec<Found>,
    pub rest: Vec<(String, bool)>,
}

impl Reading {
    pub(crate) fn has(&self, concept: u16) -> bool {
        self.found.iter().any(|f| f.concept == concept)
    }
}

pub(crate) fn concept(id: u16) -> Option<&'static Concept> {
    let id = usize::from(id);
    CONCEPTS
        .get(id)
        .or_else(|| TOPICS.get(id.checked_sub(CONCEPTS.len())?))
}

/// The id of the concept named `name` (as in [`CONCEPTS`]).
pub(crate) fn id(name: &str) -> Option<u16> {
    CONCEPTS
        .iter()
        .position(|c| c.name == name)
        .and_then(|i| u16::try_from(i).ok())
}

/// Optimal string alignment distance ≤ 1 (one substitution, insertion, deletion or swap of
/// two neighbours), the first letter kept.
fn one_typo(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a == b || a.first() != b.first() || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    match ra.len().cmp(&rb.len()) {
        std::cmp::Ordering::Equal => {
            ra.get(1..) == rb.get(1..)
                || (ra.len() >= 2
                    && ra.first() == rb.get(1)
                    && ra.get(1) == rb.first()
                    && ra.get(2..) == rb.get(2..))
        }
        std::cmp::Ordering::Greater => ra.get(1..) == Some(rb),
        std::cmp::Ordering::Less => rb.get(1..) == Some(ra),
    }
}

/// Only a swap of two neighbouring letters ("stcok"), for five-letter words.
fn swapped(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() || a == b {
        return false;
    }
    let diff: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    diff.len() == 2
        && diff[1] == diff[0] + 1
        && a[diff[0]] == b[diff[1]]
        && a[diff[1]] == b[diff[0]]
}

fn is_number(t: &str) -> bool {
    t.chars().all(|c| c.is_ascii_digit())
}

/// Reads the concepts of `text` (at most the first 16 KiB). Email addresses and links are
/// left out first: their parts are no words of the request.
pub(crate) fn read(text: &str) -> Reading {
    read_with(&LEXICON, text)
}

/// [`read`] with the support topics ([`TOPICS`]) too, for routing.
pub(crate) fn read_topics(text: &str) -> Reading {
    read_with(&TOPIC_LEXICON, text)
}

fn read_with(lex: &Lexicon, text: &str) -> Reading {
    let cleaned: String = super::text::clip(text)
        .split_whitespace()
        .filter(|w| !w.contains('@') && !w.contains("://") && !w.starts_with("www."))
        .collect::<Vec<_>>()
        .join(" ");
    let doc = Doc::new(&cleaned);
    let lang = lang::detect(&cleaned, &doc);
    let li = lang.and_then(|l| LANGS.iter().position(|x| *x == l));
    // Languages in the order they are tried: the message's first.
    // Stems (and phrases, prefixes) in the message's language only, when it is known:
    // another language's stem of a word may meet an unrelated word ("part" would be
    // Portuguese "partido"). Folded forms are looked up in every language.
    let order: Vec<usize> = match li {
        Some(l) => vec![l],
        None => (0..7).collect(),
    };
    let n = doc.len();
    // Stems per token in those languages, computed once.
    let stems: Vec<[String; 7]> = (0..n)
        .map(|i| {
            let t = doc.tok(i);
            std::array::from_fn(|l| {
                if order.contains(&l) {
                    lex.stem(l, t)
                } else {
                    String::new()
                }
            })
        })
        .collect();
    let mut taken = vec![false; n];
    let mut out = Reading::default();
    // Whether a negation comes before each token in its clause.
    let mut after_negation = false;
    let negated: Vec<bool> = (0..n)
        .map(|i| {
            if doc.brk(i) {
                after_negation = false;
            }
            let before = after_negation;
            after_negation |= lex.negations.contains_key(doc.tok(i));
            before
        })
        .collect();
    let word_matches = |j: usize, l: usize, key: &str, prefix: bool| -> bool {
        let t = doc.tok(j);
        if prefix {
            t.starts_with(key)
        } else {
            t == key
                || stems
                    .get(j)
                    .and_then(|s| s.get(l))
                    .is_some_and(|s| s == key)
        }
    };
    // Phrases first: the longest at each position, in the first language that has one.
    let mut i = 0;
    while i < n {
        let mut best: Option<(usize, u16)> = None;
        for &l in &order {
            let Some(map) = lex.phrases.get(l) else {
                continue;
            };
            let mut keys: Vec<&str> = vec![doc.tok(i)];
            if let Some(s) = stems.get(i).and_then(|s| s.get(l)) {
                keys.push(s);
            }
            for key in keys {
                let Some(list) = map.get(key) else { continue };
                for p in list {
                    let len = p.words.len();
                    if i + len > n {
                        continue;
                    }
                    let ok = p.words.iter().enumerate().all(|(k, (w, pre))| {
                        (k == 0 || !doc.brk(i + k)) && word_matches(i + k, l, w, *pre)
                    });
                    if ok && best.is_none_or(|(bl, _)| len > bl) {
                        best = Some((len, p.concept));
                    }
                }
            }
            if best.is_some() {
                break;
            }
        }
        match best {
            Some((len, concept)) => {
                out.found.push(Found {
                    concept,
                    at: i,
                    negated: negated[i],
                });
                for t in taken.iter_mut().skip(i).take(len) {
                    *t = true;
                }
                i += len;
            }
            None => i += 1,
        }
    }
    for (i, (&taken, &negated)) in taken.iter().zip(&negated).enumerate() {
        if taken {
            continue;
        }
        let t = doc.tok(i);
        if lex.filler.contains_key(t) || is_number(t) || t.chars().count() < 2 {
            continue;
        }
        let hits = lookup(lex, t, stems.get(i), &order, li);
        if hits.is_empty() {
            if t.chars().count() >= 3 && !t.chars().any(|c| c.is_ascii_digit()) {
                let key: String = t.chars().take(6).collect();
                out.rest.push((key, negated));
            }
            continue;
        }
        for concept in hits {
            out.found.push(Found {
                concept,
                at: i,
                negated,
            });
        }
    }
    out.found.sort_by_key(|f| f.at);
    out
}

/// The concepts of one folded word: its form (any language), its stem or a prefix (in
/// `order`: the message's language when known, else all), the head (and modifier) of a
/// compound, one typo.
fn lookup(
    lex: &Lexicon,
    t: &str,
    stems: Option<&[String; 7]>,
    order: &[usize],
    li: Option<usize>,
) -> Vec<u16> {
    let mut hits: Vec<u16> = Vec::new();
    let push = |hits: &mut Vec<u16>, c: u16| {
        if !hits.contains(&c) {
            hits.push(c);
        }
    };
    if let Some(es) = lex.forms.get(t) {
        let mine: Vec<u16> = es
            .iter()
            .filter(|e| li.is_some_and(|l| usize::from(e.lang) == l))
            .map(|e| e.concept)
            .collect();
        if mine.is_empty() {
            for e in es {
                push(&mut hits, e.concept);
            }
        } else {
            for c in mine {
                push(&mut hits, c);
            }
        }
        return hits;
    }
    for &l in order {
        let stem = stems.and_then(|s| s.get(l));
        if let Some(cs) = stem.and_then(|s| lex.stems.get(l).and_then(|m| m.get(s))) {
            for &c in cs {
                push(&mut hits, c);
            }
        }
        if hits.is_empty() {
            if let Some(ps) = lex.prefixes.get(l) {
                if let Some((_, c)) = ps.iter().find(|(p, _)| t.starts_with(p.as_str())) {
                    push(&mut hits, *c);
                }
            }
        }
        if !hits.is_empty() {
            break;
        }
    }
    let chars: Vec<char> = t.chars().collect();
    // A compound: the longest known head of four letters or more after a modifier of three
    // (as well as what a prefix found: "Kontroll|termin" is a check-up and an appointment).
    if chars.len() >= 8 && (hits.is_empty() || chars.len() >= 10) {
        for k in 3..=chars.len() - 4 {
            let head: String = chars[k..].iter().collect();
            let found = head_concepts(lex, &head);
            if found.is_empty() {
                continue;
            }
            for c in found {
                push(&mut hits, c);
            }
            let modifier: String = chars[..k].iter().collect();
            let modifier = modifier.trim_end_matches('s');
            for c in head_concepts(lex, modifier) {
                push(&mut hits, c);
            }
            return hits;
        }
    }
    if !hits.is_empty() {
        return hits;
    }
    // One typo.
    let n = t.len();
    let first = t.as_bytes().first().copied().unwrap_or(0);
    if n >= 5 {
        let near = (n - 1..=n + 1)
            .filter_map(|len| lex.typo_index.get(&(first, len)))
            .flatten()
            .filter_map(|&i| lex.typo.get(i));
        for (form, cs) in near {
            let ok = if n >= 6 && form.len() >= 6 {
                one_typo(t, form)
            } else {
                swapped(t, form)
            };
            if ok {
                for &c in cs {
                    push(&mut hits, c);
                }
            }
        }
    }
    hits
}

/// The concepts of a part of a compound: by form, stem (any language) or prefix.
fn head_concepts(lex: &Lexicon, part: &str) -> Vec<u16> {
    if part.chars().count() < 3 {
        return Vec::new();
    }
    if let Some(es) = lex.forms.get(part) {
        return es.iter().map(|e| e.concept).collect();
    }
    for l in 0..7 {
        let s = lex.stem(l, part);
        if let Some(cs) = lex.stems.get(l).and_then(|m| m.get(&s)) {
            if s.chars().count() >= 4 {
                return cs.clone();
            }
        }
        if let Some((_, c)) = lex.prefixes.get(l).and_then(|ps| {
            ps.iter()
                .find(|(p, _)| p.chars().count() >= 4 && part.starts_with(p.as_str()))
        }) {
            return vec![*c];
        }
    }
    Vec::new()
}

/// Compiles the lexicon now.
pub(crate) fn warm_up() {
    let _ = &*LEXICON;
    let _ = &*TOPIC_LEXICON;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<&'static str> {
        let mut v: Vec<&'static str> = read(text)
            .found
            .iter()
            .filter_map(|f| concept(f.concept).map(|c| c.name))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    #[test]
    fn words_of_seven_languages_meet_in_concepts() {
        assert_eq!(names("Where is my order?"), ["order", "where"]);
        assert_eq!(names("¿Dónde está mi pedido?"), ["order", "where"]);
        assert_eq!(names("Wo bleibt meine Bestellung?"), ["order", "where"]);
        assert_eq!(names("gdzie jest moje zamówienie"), ["order", "where"]);
        assert!(names("mon colis n'est toujours pas arrivé").contains(&"parcel"));
        assert!(names("Ich habe starke Zahnschmerzen").contains(&"pain"));
        assert!(names("Kontrolltermin beim Zahnarzt").contains(&"checkup"));
        assert!(names("Kontrolltermin beim Zahnarzt").contains(&"appointment"));
        assert!(names("I want my money back").contains(&"refund"));
        assert!(names("is it in stock?").contains(&"stock"));
        assert!(names("prendre rendez-vous").contains(&"book"));
    }

    #[test]
    fn typos_and_missing_accents() {
        assert!(names("can i cancle it").contains(&"cancel"));
        assert!(names("appointmnet please").contains(&"appointment"));
        assert!(names("prosze anulowac zamowienie").contains(&"cancel"));
        assert!(names("el producto esta agotado").contains(&"stock"));
        // Five-letter words: only a swap ("stuck" is not "stock").
        assert!(!names("my parcel is stuck").contains(&"stock"));
    }

    #[test]
    fn negation_and_unknown_words() {
        let r = read("Cancels an order that has not been shipped yet.");
        let shipped = id("shipped").unwrap();
        assert!(r.found.iter().any(|f| f.concept == shipped && f.negated));
        let r = read("Gift wrapping for my order, write to anna@example.com");
        assert!(r.rest.iter().any(|(w, _)| w == "wrappi"));
        assert!(!r.rest.iter().any(|(w, _)| w.contains("exampl")));
    }
}
