/*! Baton chat widget. Paste on a website:
 *
 *   <script src="https://YOUR-BATON-SERVER/widget.js" data-agent="1" async></script>
 *
 * Options (data- attributes on the script tag): data-agent (agent id; default: the default
 * agent), data-title (panel title), data-color (accent colour), data-greeting (first line shown),
 * data-open="true" (open at once), data-lang (the widget's own words: en, es, fr, de, pl, pt
 * or it; default: the browser's language, else English).
 *
 * Plain JavaScript, no dependencies, nothing loaded from anywhere else. It talks to the Baton
 * server it was loaded from: POST /v1/visitor/conversations to start (lazily, on the first
 * message), POST …/{id}/messages with the X-Visitor-Token header to send, GET …/{id}/messages
 * for the transcript, and server-sent events from …/{id}/events for what happens live. The
 * conversation (and the names of the people who answered) is remembered in localStorage.
 *
 * The transcript is always the server's (each message once, by id, with its time); what the
 * visitor is sending is shown until the server has it, or as failed with Retry. A lost stream
 * is reopened with backoff (1 s doubling to 30 s) and the transcript fetched again once back.
 * Message text is only ever put in the page as text nodes; http(s) addresses in it become links.
 *
 * The contact form (the agent's lead capture settings): the server hands it over when the
 * conversation starts (set to appear at the start: the conversation is then started as the
 * chat opens), as a `contact_form` event under a reply, or in the answer to "End chat"
 * (POST …/{id}/end). It is sent with POST …/{id}/contact-form; the success message comes back
 * as the agent's reply, and a refused field is named next to it.
 *
 * Chat elements come with the answer to a message (`events`): a `buttons` event shows the
 * group's links under the agent's reply (a click opens the link in a new tab and is reported to
 * POST …/{id}/button-clicks); `handover_channels` shows one button per way to reach the team
 * (POST …/{id}/handover-channel records the choice; the email channel answers with its form,
 * sent to POST …/{id}/handover-email). They are remembered with the conversation, so a reload
 * shows them again.
 */
(function () {
  'use strict';

  // ---------- pure helpers (unit-tested in ui/src/tests/widget.test.ts) ----------

  /** Milliseconds before reconnection attempt `attempt` (0 = the first after a loss): 1 s
   * doubling to 30 s, ±20 % jitter, never above 30 s. `random` is in [0, 1). */
  function reconnectDelay(attempt, random) {
    var r = random ? random() : Math.random();
    var base = Math.min(30000, 1000 * Math.pow(2, Math.min(Math.max(0, attempt), 10)));
    return Math.round(Math.min(30000, base * (0.8 + 0.4 * r)));
  }

  var URL_RE = /\bhttps?:\/\/[^\s<>"'`]+/gi;

  function count(s, c) {
    return s.split(c).length - 1;
  }

  /** A URL as written in a sentence, without the punctuation that ends the sentence (a closing
   * bracket stays when the URL opened it: https://en.wikipedia.org/wiki/Baton_(law)). */
  function trimUrl(u) {
    for (;;) {
      var last = u.charAt(u.length - 1);
      if (!/[.,;:!?'")\]}>*]/.test(last)) return u;
      if (last === ')' && count(u, '(') >= count(u, ')')) return u;
      if (last === ']' && count(u, '[') >= count(u, ']')) return u;
      u = u.slice(0, -1);
    }
  }

  /** The address to link to, or null: only absolute http and https URLs. */
  function safeHref(u) {
    try {
      var p = new URL(u);
      return (p.protocol === 'http:' || p.protocol === 'https:') && p.hostname ? p.href : null;
    } catch {
      return null;
    }
  }

  /** Splits message text into plain parts `{text}` and links `{text, href}` (http/https only;
   * `javascript:` and every other scheme stay text). Joined, the parts' texts are the input. */
  function splitLinks(text) {
    var out = [];
    var at = 0;
    var m;
    text = String(text == null ? '' : text);
    URL_RE.lastIndex = 0;
    while ((m = URL_RE.exec(text))) {
      var url = trimUrl(m[0]);
      var href = url && safeHref(url);
      if (!href) continue;
      if (m.index > at) out.push({ text: text.slice(at, m.index) });
      out.push({ text: url, href: href });
      at = m.index + url.length;
      URL_RE.lastIndex = at;
    }
    if (at < text.length || !out.length) out.push({ text: text.slice(at) });
    return out;
  }

  /** A message's time in the visitor's locale: the time today, the date and time before. */
  function formatTime(iso, now, locale) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return '';
    now = now || new Date();
    var today = d.toDateString() === now.toDateString();
    /** @type {Intl.DateTimeFormatOptions} */
    var opts = today
      ? { hour: 'numeric', minute: '2-digit' }
      : { day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' };
    try {
      return new Intl.DateTimeFormat(locale, opts).format(d);
    } catch {
      return d.toLocaleString();
    }
  }

  var EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

  // The widget's own words in the seven languages Baton's engine speaks (the agent's replies
  // come from the server in the visitor's language; these are the widget's labels and checks).
  // English is the fallback for a missing language or phrase.
  var PHRASES = {
    en: {
      required: 'Please fill this in.',
      email: 'Enter an email address like name@example.com.',
      phone: 'Enter a phone number with its country code, like +44 20 7946 0958.',
      number: 'Enter a number.',
      choice: 'Pick one of the choices.',
      consent: 'Tick the box to go on.',
      agree: 'Tick the box to agree first.',
      atLeastOne: 'Fill in at least one field.',
      tooLong: 'This is too long.',
      send: 'Send',
      sending: 'Sending…',
      optional: ' (optional)',
      choose: 'Choose…',
      notSent: 'Not sent',
      retry: 'Retry',
      unreachable: 'Not sent: the chat is not reachable. Try again in a moment.',
      wrong: 'Something went wrong. Try again.',
      endChat: 'End chat',
      closeChat: 'Close chat',
      reconnecting: 'Reconnecting…',
      ended: 'You ended the chat. Write again any time.',
      yes: 'Yes',
      no: 'No',
      placeholder: 'Write a message…',
      yourMessage: 'Your message',
      greeting: 'Hi! How can we help?',
      title: 'Chat with us',
      sent: 'sent',
    },
    es: {
      required: 'Rellena este campo.',
      email: 'Escribe un correo como nombre@ejemplo.com.',
      phone: 'Escribe un teléfono con su prefijo, como +34 912 345 678.',
      number: 'Escribe un número.',
      choice: 'Elige una de las opciones.',
      consent: 'Marca la casilla para continuar.',
      agree: 'Marca la casilla para aceptar.',
      atLeastOne: 'Rellena al menos un campo.',
      tooLong: 'Es demasiado largo.',
      send: 'Enviar',
      sending: 'Enviando…',
      optional: ' (opcional)',
      choose: 'Elige…',
      notSent: 'No enviado',
      retry: 'Reintentar',
      unreachable: 'No enviado: el chat no está disponible. Inténtalo de nuevo en un momento.',
      wrong: 'Algo ha fallado. Inténtalo de nuevo.',
      endChat: 'Terminar chat',
      closeChat: 'Cerrar chat',
      reconnecting: 'Reconectando…',
      ended: 'Has terminado el chat. Escribe cuando quieras.',
      yes: 'Sí',
      no: 'No',
      placeholder: 'Escribe un mensaje…',
      yourMessage: 'Tu mensaje',
      greeting: '¡Hola! ¿En qué podemos ayudarte?',
      title: 'Chatea con nosotros',
      sent: 'enviado',
    },
    fr: {
      required: 'Remplissez ce champ.',
      email: 'Saisissez une adresse e-mail comme nom@exemple.fr.',
      phone: 'Saisissez un numéro avec l’indicatif du pays, comme +33 1 23 45 67 89.',
      number: 'Saisissez un nombre.',
      choice: 'Choisissez une des options.',
      consent: 'Cochez la case pour continuer.',
      agree: 'Cochez la case pour accepter.',
      atLeastOne: 'Remplissez au moins un champ.',
      tooLong: 'C’est trop long.',
      send: 'Envoyer',
      sending: 'Envoi…',
      optional: ' (facultatif)',
      choose: 'Choisir…',
      notSent: 'Non envoyé',
      retry: 'Réessayer',
      unreachable: 'Non envoyé : le chat n’est pas joignable. Réessayez dans un instant.',
      wrong: 'Une erreur s’est produite. Réessayez.',
      endChat: 'Terminer',
      closeChat: 'Fermer le chat',
      reconnecting: 'Reconnexion…',
      ended: 'Vous avez terminé la conversation. Écrivez quand vous voulez.',
      yes: 'Oui',
      no: 'Non',
      placeholder: 'Écrivez un message…',
      yourMessage: 'Votre message',
      greeting: 'Bonjour ! Comment pouvons-nous vous aider ?',
      title: 'Discutez avec nous',
      sent: 'envoyé',
    },
    de: {
      required: 'Bitte füllen Sie dieses Feld aus.',
      email: 'Geben Sie eine E-Mail-Adresse wie name@beispiel.de ein.',
      phone: 'Geben Sie eine Telefonnummer mit Ländervorwahl ein, z. B. +49 30 1234567.',
      number: 'Geben Sie eine Zahl ein.',
      choice: 'Wählen Sie eine der Möglichkeiten.',
      consent: 'Setzen Sie das Häkchen, um fortzufahren.',
      agree: 'Setzen Sie das Häkchen, um zuzustimmen.',
      atLeastOne: 'Füllen Sie mindestens ein Feld aus.',
      tooLong: 'Das ist zu lang.',
      send: 'Senden',
      sending: 'Wird gesendet…',
      optional: ' (optional)',
      choose: 'Bitte wählen…',
      notSent: 'Nicht gesendet',
      retry: 'Erneut senden',
      unreachable:
        'Nicht gesendet: Der Chat ist nicht erreichbar. Versuchen Sie es gleich noch einmal.',
      wrong: 'Etwas ist schiefgelaufen. Bitte erneut versuchen.',
      endChat: 'Chat beenden',
      closeChat: 'Chat schließen',
      reconnecting: 'Verbindung wird wiederhergestellt…',
      ended: 'Sie haben den Chat beendet. Schreiben Sie uns jederzeit wieder.',
      yes: 'Ja',
      no: 'Nein',
      placeholder: 'Nachricht schreiben…',
      yourMessage: 'Ihre Nachricht',
      greeting: 'Hallo! Wie können wir helfen?',
      title: 'Chatten Sie mit uns',
      sent: 'gesendet',
    },
    pl: {
      required: 'Wypełnij to pole.',
      email: 'Wpisz adres e-mail, np. imie@przyklad.pl.',
      phone: 'Wpisz numer telefonu z numerem kierunkowym kraju, np. +48 22 123 45 67.',
      number: 'Wpisz liczbę.',
      choice: 'Wybierz jedną z opcji.',
      consent: 'Zaznacz pole, aby kontynuować.',
      agree: 'Zaznacz pole, aby wyrazić zgodę.',
      atLeastOne: 'Wypełnij co najmniej jedno pole.',
      tooLong: 'To jest za długie.',
      send: 'Wyślij',
      sending: 'Wysyłanie…',
      optional: ' (opcjonalnie)',
      choose: 'Wybierz…',
      notSent: 'Nie wysłano',
      retry: 'Ponów',
      unreachable: 'Nie wysłano: czat jest niedostępny. Spróbuj ponownie za chwilę.',
      wrong: 'Coś poszło nie tak. Spróbuj ponownie.',
      endChat: 'Zakończ czat',
      closeChat: 'Zamknij czat',
      reconnecting: 'Ponowne łączenie…',
      ended: 'Czat został zakończony. Napisz, kiedy chcesz.',
      yes: 'Tak',
      no: 'Nie',
      placeholder: 'Napisz wiadomość…',
      yourMessage: 'Twoja wiadomość',
      greeting: 'Cześć! W czym możemy pomóc?',
      title: 'Porozmawiaj z nami',
      sent: 'wysłano',
    },
    pt: {
      required: 'Preencha este campo.',
      email: 'Escreva um e-mail como nome@exemplo.pt.',
      phone: 'Escreva um telefone com o indicativo do país, como +351 912 345 678.',
      number: 'Escreva um número.',
      choice: 'Escolha uma das opções.',
      consent: 'Marque a caixa para continuar.',
      agree: 'Marque a caixa para aceitar.',
      atLeastOne: 'Preencha pelo menos um campo.',
      tooLong: 'É demasiado longo.',
      send: 'Enviar',
      sending: 'A enviar…',
      optional: ' (opcional)',
      choose: 'Escolha…',
      notSent: 'Não enviada',
      retry: 'Tentar de novo',
      unreachable: 'Não enviada: o chat não está acessível. Tente de novo daqui a pouco.',
      wrong: 'Algo correu mal. Tente de novo.',
      endChat: 'Terminar conversa',
      closeChat: 'Fechar conversa',
      reconnecting: 'A ligar de novo…',
      ended: 'Terminou a conversa. Escreva quando quiser.',
      yes: 'Sim',
      no: 'Não',
      placeholder: 'Escreva uma mensagem…',
      yourMessage: 'A sua mensagem',
      greeting: 'Olá! Como podemos ajudar?',
      title: 'Fale connosco',
      sent: 'enviado',
    },
    it: {
      required: 'Compila questo campo.',
      email: 'Scrivi un indirizzo email come nome@esempio.it.',
      phone: 'Scrivi un numero di telefono con il prefisso internazionale, come +39 06 1234 5678.',
      number: 'Scrivi un numero.',
      choice: 'Scegli una delle opzioni.',
      consent: 'Spunta la casella per continuare.',
      agree: 'Spunta la casella per accettare.',
      atLeastOne: 'Compila almeno un campo.',
      tooLong: 'È troppo lungo.',
      send: 'Invia',
      sending: 'Invio…',
      optional: ' (facoltativo)',
      choose: 'Scegli…',
      notSent: 'Non inviato',
      retry: 'Riprova',
      unreachable: 'Non inviato: la chat non è raggiungibile. Riprova tra poco.',
      wrong: 'Qualcosa è andato storto. Riprova.',
      endChat: 'Termina chat',
      closeChat: 'Chiudi chat',
      reconnecting: 'Riconnessione…',
      ended: 'Hai terminato la chat. Scrivici quando vuoi.',
      yes: 'Sì',
      no: 'No',
      placeholder: 'Scrivi un messaggio…',
      yourMessage: 'Il tuo messaggio',
      greeting: 'Ciao! Come possiamo aiutarti?',
      title: 'Chatta con noi',
      sent: 'inviato',
    },
  };

  /** The widget's language for a BCP 47 tag (`de-AT` → `de`); English when not one of ours. */
  function langOf(tag) {
    var l = String(tag || '')
      .toLowerCase()
      .slice(0, 2);
    return Object.prototype.hasOwnProperty.call(PHRASES, l) ? l : 'en';
  }

  /** A phrase in `lang`. @param {string} lang @param {keyof typeof PHRASES.en} key */
  function phrase(lang, key) {
    var table = PHRASES[langOf(lang)];
    return (table && table[key]) || PHRASES.en[key];
  }

  /** A field error the server answered (its code), in `lang`; null when there is no phrase. */
  function codePhrase(lang, code) {
    var key = {
      required: 'required',
      invalid_email: 'email',
      invalid_phone: 'phone',
      invalid_number: 'number',
      invalid_option: 'choice',
      too_long: 'tooLong',
    }[code];
    return key ? phrase(lang, key) : null;
  }

  /** The visitor's contact form answers checked before sending: `values` by field name
   * (`name`, `email`, `phone`, and `consent` true/false). Returns field name → message, empty
   * when it may be sent. */
  function checkContactForm(view, values, lang) {
    var en = langOf(lang) === 'en';
    var out = {};
    (view.fields || []).forEach(function (f) {
      var v = String(values[f.name] == null ? '' : values[f.name]).trim();
      if (!v) {
        if (f.required)
          out[f.name] = en
            ? 'Please fill in your ' + f.label.toLowerCase() + '.'
            : phrase(lang, 'required');
        return;
      }
      if (f.name === 'email' && !EMAIL_RE.test(v)) out[f.name] = phrase(lang, 'email');
      if (f.name === 'phone' && !/^\+?[\d\s()./-]{5,}$/.test(v))
        out[f.name] = en ? 'Enter a phone number, like +49 30 1234567.' : phrase(lang, 'phone');
    });
    var fields = view.fields || [];
    var filled = fields.some(function (f) {
      return String(values[f.name] == null ? '' : values[f.name]).trim();
    });
    if (fields.length && !filled && !Object.keys(out).length)
      out[fields[0].name] = phrase(lang, 'atLeastOne');
    if (view.consent_message && !values.consent) out.consent = phrase(lang, 'agree');
    return out;
  }

  /** A form action's answers checked before sending (the server checks them again): `values`
   * by field name (text, or true/false for a consent box). Returns field name → message. */
  function checkActionForm(view, values, lang) {
    var en = langOf(lang) === 'en';
    var out = {};
    (view.fields || []).forEach(function (f) {
      var raw = values[f.name];
      if (f.type === 'consent') {
        if (f.required && raw !== true) out[f.name] = phrase(lang, 'consent');
        return;
      }
      var v = String(raw == null ? '' : raw).trim();
      if (!v) {
        if (f.required)
          out[f.name] = en
            ? 'Please fill in ' + f.label.toLowerCase() + '.'
            : phrase(lang, 'required');
        return;
      }
      if (f.type === 'email' && !EMAIL_RE.test(v)) out[f.name] = phrase(lang, 'email');
      else if (f.type === 'phone' && !/^\+?[\d\s()./-]{5,}$/.test(v))
        out[f.name] = phrase(lang, 'phone');
      else if (f.type === 'number' && !/^-?\d+([.,]\d+)?$/.test(v))
        out[f.name] = phrase(lang, 'number');
      else if (
        f.type === 'select' &&
        !(f.options || []).some(function (o) {
          return o.toLowerCase() === v.toLowerCase();
        })
      )
        out[f.name] = phrase(lang, 'choice');
      else if (v.length > (f.type === 'long_text' ? 5000 : 500))
        out[f.name] = phrase(lang, 'tooLong');
    });
    return out;
  }

  // Loaded by the unit tests: hand the helpers over and do nothing else.
  var w = /** @type {any} */ (typeof window !== 'undefined' ? window : {});
  var testHooks = w.__batonWidgetTest;
  if (testHooks && typeof testHooks === 'object') {
    testHooks.reconnectDelay = reconnectDelay;
    testHooks.splitLinks = splitLinks;
    testHooks.formatTime = formatTime;
    testHooks.checkContactForm = checkContactForm;
    testHooks.checkActionForm = checkActionForm;
    testHooks.langOf = langOf;
    testHooks.phrase = phrase;
    return;
  }

  if (w.__batonWidget) return;
  w.__batonWidget = true;

  var script = /** @type {HTMLScriptElement | null} */ (
    document.currentScript ||
      (function () {
        var all = document.querySelectorAll('script[src*="widget.js"]');
        return all[all.length - 1];
      })()
  );
  if (!script) return;
  var base = new URL(script.src, location.href).origin;
  var data = script.dataset || {};
  var agentId = data.agent && /^\d+$/.test(data.agent) ? Number(data.agent) : null;
  // The widget speaks the page's visitor's language (data-lang to choose one).
  var L = langOf(data.lang || (typeof navigator !== 'undefined' && navigator.language) || 'en');
  /** @param {keyof typeof PHRASES.en} key */
  var tr = function (key) {
    return phrase(L, key);
  };
  var title = data.title || tr('title');
  var color = data.color || '#5e6ad2';
  var greeting = data.greeting || tr('greeting');
  var storeKey = 'baton.widget.' + base + '.' + (agentId || 'default');

  // ---------- storage (may be unavailable: private mode, sandboxed frames) ----------
  // { id, token, names: {operator id: name}, seen: the last message id the visitor has seen }
  function load() {
    try {
      var v = JSON.parse(localStorage.getItem(storeKey) || 'null');
      if (!v || typeof v.id !== 'number' || typeof v.token !== 'string') return null;
      if (!v.names || typeof v.names !== 'object') v.names = {};
      return v;
    } catch {
      return null;
    }
  }
  function save() {
    try {
      if (session) localStorage.setItem(storeKey, JSON.stringify(session));
      else localStorage.removeItem(storeKey);
    } catch {
      /* not remembered */
    }
  }

  // ---------- DOM, inside a shadow root so the site's CSS and ours never mix ----------
  var host = document.createElement('div');
  host.setAttribute('data-baton-widget', '');
  var root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host;
  var css =
    ':host{all:initial}' +
    '*{box-sizing:border-box;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}' +
    '.bubble{position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;border:0;' +
    'background:var(--c);color:#fff;cursor:pointer;box-shadow:0 6px 24px rgba(0,0,0,.2);z-index:2147483000;' +
    'display:grid;place-items:center}' +
    '.bubble:focus-visible,.panel button:focus-visible,.panel textarea:focus-visible,.panel a:focus-visible{outline:3px solid var(--c);outline-offset:2px}' +
    '.bubble svg{width:26px;height:26px}' +
    '.badge{position:absolute;top:-3px;right:-3px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;' +
    'background:#d93025;color:#fff;font-size:12px;font-weight:700;line-height:22px;text-align:center;border:2px solid #fff}' +
    '.badge[hidden]{display:none}' +
    '.panel{position:fixed;right:20px;bottom:88px;width:360px;max-width:calc(100vw - 40px);height:520px;' +
    'max-height:calc(100vh - 120px);background:#fff;color:#1c1d21;border-radius:14px;overflow:hidden;' +
    'box-shadow:0 12px 48px rgba(0,0,0,.22);display:flex;flex-direction:column;z-index:2147483000;font-size:14px;line-height:1.45}' +
    '.panel[hidden]{display:none}' +
    '.head{display:flex;align-items:center;gap:8px;padding:14px 16px;background:var(--c);color:#fff}' +
    '.head h2{margin:0;font-size:15px;font-weight:600;flex:1}' +
    '.head button{border:0;background:transparent;color:#fff;font-size:22px;line-height:1;cursor:pointer;width:36px;height:36px;border-radius:6px}' +
    '.head button.end{width:auto;padding:0 10px;font-size:13px;font-weight:600;border:1px solid rgba(255,255,255,.6)}' +
    '.head button.end[hidden]{display:none}' +
    '.head button:focus-visible{outline:3px solid #fff;outline-offset:1px}' +
    '.log{flex:1;overflow-y:auto;padding:14px;display:flex;flex-direction:column;gap:8px;background:#fafafb}' +
    '.m{max-width:82%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere;background:#eef0f3}' +
    '.m.me{align-self:flex-end;background:var(--c);color:#fff}' +
    '.m.op{background:#e4f5ec}' +
    '.m.note{align-self:center;background:transparent;color:#5c606c;font-size:12.5px;text-align:center}' +
    '.m.failed{background:#fdecea;color:#1c1d21;border:1px solid #d93025}' +
    '.m a{color:inherit;text-decoration:underline;text-underline-offset:2px}' +
    '.who{display:block;font-size:11.5px;font-weight:600;color:#5c606c;margin-bottom:2px}' +
    '.meta{display:flex;align-items:center;justify-content:flex-end;gap:8px;margin-top:2px;font-size:11px;color:#5c606c;white-space:nowrap}' +
    '.m.me .meta{color:inherit}' +
    '.m.failed .meta{color:#b3261e;font-weight:600}' +
    '.meta button{border:1px solid currentColor;background:#fff;color:#b3261e;border-radius:6px;padding:2px 10px;font:inherit;cursor:pointer}' +
    '.choices{display:flex;gap:8px;margin-top:8px}' +
    '.choices button{flex:1;height:36px;border-radius:8px;border:1px solid var(--c);background:#fff;color:var(--c);cursor:pointer;font-weight:600;font-size:14px}' +
    '.choices button.yes{background:var(--c);color:#fff}' +
    '.conn{padding:6px 12px;font-size:12.5px;color:#7a4b00;background:#fdf3e1;border-top:1px solid #f0dcb4;text-align:center}' +
    '.conn:empty{display:none}' +
    '.composer{display:flex;gap:8px;padding:10px;border-top:1px solid #e3e4e8;background:#fff}' +
    // 16 px: smaller text makes iOS zoom the page when the field gets focus.
    'textarea{flex:1;resize:none;height:42px;padding:9px 10px;border:1px solid #cfd1d8;border-radius:8px;font-size:16px;line-height:1.4;color:#1c1d21}' +
    '.composer button{border:0;border-radius:8px;background:var(--c);color:#fff;padding:0 14px;cursor:pointer;font-weight:600;font-size:14px}' +
    '.cform{align-self:stretch;display:grid;gap:6px;padding:12px;border:1px solid #cfd1d8;border-radius:12px;background:#fff}' +
    '.cform .ch{margin:0 0 4px;font-weight:600;font-size:14px;overflow-wrap:anywhere}' +
    '.cform label{font-size:13px;font-weight:600;color:#1c1d21}' +
    '.cform .opt{font-weight:400;color:#5c606c}' +
    '.cform input[type=text],.cform input[type=email],.cform input[type=tel],.cform select{height:38px;padding:6px 10px;border:1px solid #cfd1d8;border-radius:8px;font-size:16px;color:#1c1d21;width:100%;background:#fff}' +
    '.cform textarea{height:auto;min-height:70px;width:100%}' +
    '.cform select[aria-invalid=true],.cform textarea[aria-invalid=true]{border-color:#d93025}' +
    '.cform input[aria-invalid=true]{border-color:#d93025}' +
    '.cform input:focus-visible{outline:3px solid var(--c);outline-offset:1px}' +
    '.cform .consent{display:flex;gap:8px;align-items:flex-start;font-weight:400;overflow-wrap:anywhere}' +
    '.cform .consent input{width:18px;height:18px;margin:1px 0 0;flex:none;accent-color:var(--c)}' +
    '.cform .ferr{font-size:12.5px;color:#b3261e}' +
    '.cform .ferr:empty{display:none}' +
    '.cform button{justify-self:start;margin-top:4px;height:38px;border:0;border-radius:8px;background:var(--c);color:#fff;padding:0 18px;cursor:pointer;font-weight:600;font-size:14px}' +
    '.cform button:disabled{opacity:.6;cursor:default}' +
    '.acts{display:flex;flex-wrap:wrap;gap:6px;max-width:92%}' +
    '.act{display:inline-flex;align-items:center;gap:6px;min-height:36px;padding:6px 12px;border:1px solid var(--c);' +
    'border-radius:18px;background:#fff;color:var(--c);font-size:14px;font-weight:600;text-decoration:none;cursor:pointer;overflow-wrap:anywhere}' +
    '.act img{width:16px;height:16px;flex:none;object-fit:contain}' +
    '.act.chosen{background:var(--c);color:#fff}' +
    '.act:disabled{opacity:.55;cursor:default}' +
    '.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}' +
    // Phones: the panel takes the whole screen; its own close button replaces the launcher.
    '@media (max-width:480px){.panel{inset:0;right:0;bottom:0;width:100%;max-width:none;height:100%;' +
    'max-height:none;border-radius:0}.open .bubble{display:none}}';

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }

  var style = el('style', null, css);
  var wrap = el('div');
  wrap.style.setProperty('--c', color);
  var bubble = el('button', {
    class: 'bubble',
    type: 'button',
    'aria-label': title,
    'aria-expanded': 'false',
    'aria-controls': 'baton-panel',
  });
  bubble.innerHTML =
    '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">' +
    '<path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.4A8 8 0 1 1 21 12z"/></svg>';
  var badge = el('span', { class: 'badge', 'aria-hidden': 'true' });
  badge.hidden = true;
  bubble.appendChild(badge);
  // Says "2 unread messages" to screen readers when replies arrive while the panel is closed.
  var announce = el('div', { class: 'sr', role: 'status', 'aria-live': 'polite' });
  var panel = el('div', { class: 'panel', id: 'baton-panel', role: 'dialog', 'aria-label': title });
  panel.hidden = true;
  var head = el('div', { class: 'head' });
  var h = el('h2', null, title);
  var close = el('button', { type: 'button', 'aria-label': tr('closeChat') }, '×');
  var endBtn = el('button', { type: 'button', class: 'end' }, tr('endChat'));
  endBtn.hidden = true;
  head.appendChild(h);
  head.appendChild(endBtn);
  head.appendChild(close);
  var log = el('div', {
    class: 'log',
    role: 'log',
    'aria-live': 'polite',
    'aria-label': 'Messages',
  });
  var conn = el('div', { class: 'conn', role: 'status' });
  var form = el('form', { class: 'composer' });
  var label = el('label', { class: 'sr', for: 'baton-input' }, tr('yourMessage'));
  var input = el('textarea', { id: 'baton-input', placeholder: tr('placeholder'), rows: '1' });
  var send = el('button', { type: 'submit' }, tr('send'));
  form.appendChild(label);
  form.appendChild(input);
  form.appendChild(send);
  panel.appendChild(head);
  panel.appendChild(log);
  panel.appendChild(conn);
  panel.appendChild(form);
  wrap.appendChild(panel);
  wrap.appendChild(bubble);
  wrap.appendChild(announce);
  root.appendChild(style);
  root.appendChild(wrap);

  // ---------- the transcript ----------
  var session = load();
  var messages = {}; // id → message from the server
  var outbox = []; // what the visitor is sending: {key, text, state: 'sending' | 'failed'}
  var nodes = {}; // key → element in the log
  var unnamed = {}; // operator reply text → name, until its message arrives
  var choices = null; // the Yes/No buttons of a handoff question
  var outboxSeq = 0;

  function textInto(parent, text) {
    splitLinks(text).forEach(function (p) {
      if (!p.href) {
        parent.appendChild(document.createTextNode(p.text));
        return;
      }
      var a = el('a', { href: p.href, target: '_blank', rel: 'noopener noreferrer' }, p.text);
      parent.appendChild(a);
    });
  }

  // The transcript names no one (operator_id only): names are learnt from the live
  // operator_reply events and remembered with the conversation; `operator_name` on a message
  // wins if the server ever sends it.
  function operatorName(m) {
    return (
      m.operator_name ||
      (session && m.operator_id != null && session.names[m.operator_id]) ||
      'Support'
    );
  }

  function kindOf(m) {
    if (m.author === 'visitor') return 'me';
    if (m.author === 'operator') return 'op';
    if (m.author === 'ai') return 'ai';
    return 'note';
  }

  function messageNode(m) {
    var n = el('div', { class: 'm ' + kindOf(m), 'data-id': String(m.id) });
    if (m.author === 'operator') {
      n._who = el('span', { class: 'who' }, operatorName(m));
      n.appendChild(n._who);
    }
    var body = el('span', { class: 'text' });
    textInto(body, m.text);
    n.appendChild(body);
    var meta = el('span', { class: 'meta' });
    var t = el('time', { datetime: m.created_at }, formatTime(m.created_at));
    meta.appendChild(t);
    n.appendChild(meta);
    return n;
  }

  function outboxNode(item) {
    var n = el('div', { class: 'm me' });
    var body = el('span', { class: 'text' });
    textInto(body, item.text);
    n.appendChild(body);
    n._meta = el('span', { class: 'meta' });
    n.appendChild(n._meta);
    return n;
  }

  function paintOutbox(n, item) {
    if (n._state === item.state) return;
    n._state = item.state;
    n.className = 'm me' + (item.state === 'failed' ? ' failed' : '');
    n._meta.textContent = '';
    if (item.state === 'failed') {
      n._meta.appendChild(el('span', null, tr('notSent')));
      var retry = el('button', { type: 'button', 'aria-label': 'Retry sending: ' + item.text });
      retry.textContent = tr('retry');
      retry.onclick = function () {
        deliver(item);
        input.focus();
      };
      n._meta.appendChild(retry);
    } else {
      n._meta.appendChild(el('span', null, tr('sending')));
    }
  }

  var greetingNode = el('div', { class: 'm ai' }, greeting);
  var endNote = el('div', { class: 'm note' }, tr('ended'));

  // ---------- the contact form ----------
  // session.form: {view, after} while it waits (after: the message id it comes after; it is
  // shown before the next visitor message), session.formDone once sent: one per conversation.
  var formNode = null;
  var formSeq = 0;

  var FIELD_INPUT = {
    name: { type: 'text', autocomplete: 'name' },
    email: { type: 'email', autocomplete: 'email' },
    phone: { type: 'tel', autocomplete: 'tel' },
  };

  /** `kind`: 'contact' (the lead capture form, once per conversation) or 'email' (the email
   * handover channel's form, sent to …/handover-email). */
  function showForm(view, after, focus, kind) {
    kind = kind || 'contact';
    if (!session || !view || session.form || (kind === 'contact' && session.formDone)) return;
    session.form = { view: view, after: after, kind: kind };
    save();
    render();
    if (focus && formNode && !panel.hidden) {
      var first = formNode.querySelector('input');
      if (first) first.focus();
    }
  }

  function buildForm(view, kind) {
    var path = kind === 'email' ? '/handover-email' : '/contact-form';
    var n = ++formSeq;
    var f = el('form', { class: 'cform', novalidate: '', 'aria-labelledby': 'bf' + n + 'h' });
    f.appendChild(el('p', { class: 'ch', id: 'bf' + n + 'h' }, view.heading));
    var inputs = {};
    var errs = {};
    (view.fields || []).forEach(function (fd) {
      var id = 'bf' + n + '-' + fd.name;
      var lab = el('label', { for: id }, fd.label);
      if (!fd.required) lab.appendChild(el('span', { class: 'opt' }, tr('optional')));
      var kind = FIELD_INPUT[fd.name] || { type: 'text', autocomplete: 'off' };
      var inp = el('input', {
        id: id,
        name: fd.name,
        type: kind.type,
        autocomplete: kind.autocomplete,
        'aria-describedby': id + '-err',
      });
      if (fd.required) {
        inp.required = true;
        inp.setAttribute('aria-required', 'true');
      }
      var err = el('span', { class: 'ferr', id: id + '-err' });
      // A problem goes once the field is changed.
      inp.addEventListener('input', function () {
        err.textContent = '';
        inp.setAttribute('aria-invalid', 'false');
      });
      inputs[fd.name] = inp;
      errs[fd.name] = err;
      f.appendChild(lab);
      f.appendChild(inp);
      f.appendChild(err);
    });
    var consent = null;
    if (view.consent_message) {
      var cid = 'bf' + n + '-consent';
      var cl = el('label', { class: 'consent', for: cid });
      consent = el('input', {
        id: cid,
        type: 'checkbox',
        name: 'consent',
        'aria-describedby': cid + '-err',
      });
      consent.required = true;
      consent.setAttribute('aria-required', 'true');
      cl.appendChild(consent);
      cl.appendChild(el('span', null, view.consent_message));
      f.appendChild(cl);
      errs.consent = el('span', { class: 'ferr', id: cid + '-err' });
      consent.addEventListener('change', function () {
        errs.consent.textContent = '';
        consent.setAttribute('aria-invalid', 'false');
      });
      f.appendChild(errs.consent);
    }
    var button = el('button', { type: 'submit' }, view.submit_label || tr('send'));
    var general = el('p', { class: 'ferr', role: 'alert' });
    f.appendChild(button);
    f.appendChild(general);

    function values() {
      var v = {};
      for (var k in inputs) v[k] = inputs[k].value;
      v.consent = consent ? consent.checked : false;
      return v;
    }
    function showErrors(problems) {
      var first = null;
      for (var k in errs) {
        var msg = problems[k] || '';
        errs[k].textContent = msg;
        var target = k === 'consent' ? consent : inputs[k];
        if (target) target.setAttribute('aria-invalid', msg ? 'true' : 'false');
        if (msg && !first) first = target;
      }
      if (first) first.focus();
    }
    f.addEventListener('submit', function (e) {
      e.preventDefault();
      if (button.disabled) return;
      var v = values();
      var problems = checkContactForm(view, v, L);
      general.textContent = '';
      showErrors(problems);
      if (Object.keys(problems).length) return;
      var body = { consent: v.consent };
      ['name', 'email', 'phone'].forEach(function (k) {
        if (inputs[k] && v[k].trim()) body[k] = v[k].trim();
      });
      button.disabled = true;
      button.textContent = tr('sending');
      api('/v1/visitor/conversations/' + session.id + path, {
        method: 'POST',
        body: body,
      }).then(
        function (res) {
          if (session) {
            session.form = null;
            if (kind !== 'email') session.formDone = true;
            save();
          }
          formNode = null;
          upsert(res && res.message);
          render();
          input.focus();
        },
        function (err) {
          button.disabled = false;
          button.textContent = view.submit_label || tr('send');
          var found = {};
          var b = err.body || {};
          var list = (b.errors && b.errors.length ? b.errors : b.field ? [b] : []).slice();
          list.forEach(function (fe) {
            var leaf = String(fe.field || '')
              .split('.')
              .pop();
            if (!(leaf in errs) || found[leaf]) return;
            var fd = (view.fields || []).filter(function (x) {
              return x.name === leaf;
            })[0];
            found[leaf] =
              fe.code === 'required' && /at least one/.test(fe.message || '')
                ? tr('atLeastOne')
                : fe.code === 'required'
                  ? leaf === 'consent'
                    ? tr('agree')
                    : L === 'en'
                      ? 'Please fill in your ' + (fd ? fd.label : leaf).toLowerCase() + '.'
                      : tr('required')
                  : codePhrase(L, fe.code) || sentenceOf(fe.message);
          });
          if (Object.keys(found).length) showErrors(found);
          else general.textContent = err.status ? sentenceOf(err.message) : tr('unreachable');
        },
      );
    });
    f._view = view;
    return f;
  }

  // ---------- chat elements: action buttons and handover channels ----------
  // session.els: [{k, after: the visitor message they answer, ev: the event, chosen: channel}]

  /** @typedef {import('../src/lib/bindings').VisitorEvent} VisitorEvent */
  /** @typedef {Extract<VisitorEvent, {type: 'buttons' | 'handover_channels' | 'action_form' | 'action_button'}>} ElementEvent */
  /** @typedef {import('../src/lib/bindings').HandoverChannel} HandoverChannel */
  /** @typedef {{k: number, after: number, ev: ElementEvent, chosen: HandoverChannel | null, sent?: string, before?: number}} Element */

  /** @param {ElementEvent} ev @param {number} after */
  function addElement(ev, after) {
    if (!session) return;
    session.elSeq = (session.elSeq || 0) + 1;
    // The latest few are enough to show the conversation again.
    session.els = (session.els || [])
      .concat({ k: session.elSeq, after: after, ev: ev, chosen: null })
      .slice(-20);
    save();
  }

  /** Tells the server without waiting for it (the link opens in a new tab meanwhile). */
  function report(path, body) {
    if (!session) return Promise.resolve(null);
    return api('/v1/visitor/conversations/' + session.id + path, {
      method: 'POST',
      body: body,
      keepalive: true,
    });
  }

  function linkNode(href, label, iconUrl) {
    var a = el('a', { class: 'act', href: href, target: '_blank', rel: 'noopener noreferrer' });
    // Icons are Baton's own (/v1/icons/…), from the server this widget came from.
    if (iconUrl && /^\/v1\/icons\/[^/]+$/.test(iconUrl))
      a.appendChild(el('img', { src: base + iconUrl, alt: '', width: '16', height: '16' }));
    a.appendChild(el('span', null, label));
    return a;
  }

  /** @param {Element} item */
  function elementNode(item) {
    var ev = item.ev;
    if (ev.type === 'action_form') return actionFormNode(item, ev);
    if (ev.type === 'action_button') {
      var actionId = ev.action_id;
      var bx = el('div', { class: 'acts', role: 'group', 'aria-label': 'Suggested action' });
      var target = ev.url && safeHref(ev.url);
      if (target) {
        var link = linkNode(target, ev.label, null);
        link.addEventListener('click', function () {
          report('/action-buttons/' + actionId, {}).catch(function () {});
        });
        bx.appendChild(link);
        return bx;
      }
      var run = el('button', { type: 'button', class: 'act' }, ev.label);
      run.disabled = !!item.sent;
      run.addEventListener('click', function () {
        if (run.disabled) return;
        run.disabled = true;
        report('/action-buttons/' + actionId, {}).then(
          function (res) {
            item.sent = 'yes';
            save();
            upsert(res && res.message);
            render();
            input.focus();
          },
          function (e) {
            run.disabled = false;
            if (gone(e)) forget();
          },
        );
      });
      bx.appendChild(run);
      return bx;
    }
    if (ev.type === 'buttons') {
      var groupId = ev.group_id;
      var g = el('div', { class: 'acts', role: 'group', 'aria-label': 'Suggested links' });
      (ev.buttons || []).forEach(function (b) {
        var href = safeHref(b.url);
        if (!href) return;
        var a = linkNode(href, b.label, b.icon_url);
        a.addEventListener('click', function () {
          report('/button-clicks', { group_id: groupId, index: b.index }).catch(function () {});
        });
        g.appendChild(a);
      });
      return g;
    }
    // handover_channels
    var box = el('div', { class: 'acts', role: 'group', 'aria-label': 'Ways to reach us' });
    (ev.channels || []).forEach(function (c) {
      var n;
      var href = c.url && safeHref(c.url);
      if (href) {
        n = linkNode(href, c.label, null);
      } else {
        n = el('button', { type: 'button', class: 'act' }, c.label);
        // Once a person or the email form is on its way, asking again adds nothing.
        n.disabled = item.chosen === 'inbox' || item.chosen === 'email';
      }
      if (item.chosen === c.channel) {
        n.classList.add('chosen');
        n.setAttribute(href ? 'aria-current' : 'aria-pressed', 'true');
      }
      n.addEventListener('click', function () {
        if (n.disabled) return;
        chooseChannel(item, c.channel, !href);
      });
      box.appendChild(n);
    });
    return box;
  }

  var INPUT_OF = {
    email: { type: 'email', autocomplete: 'email', inputmode: 'email' },
    phone: { type: 'tel', autocomplete: 'tel', inputmode: 'tel' },
    number: { type: 'text', autocomplete: 'off', inputmode: 'decimal' },
  };

  /** A form action's form; once sent, what was sent in a line (the answer follows it).
   * @param {Element} item @param {Extract<ElementEvent, {type: 'action_form'}>} ev */
  function actionFormNode(item, ev) {
    var view = ev.form;
    if (item.sent) {
      var done = el('div', { class: 'm note' });
      done.textContent = view.title + ' — ' + tr('sent') + ': ' + item.sent;
      return done;
    }
    var n = ++formSeq;
    var f = el('form', { class: 'cform', novalidate: '', 'aria-labelledby': 'af' + n + 'h' });
    f.appendChild(el('p', { class: 'ch', id: 'af' + n + 'h' }, view.title));
    var inputs = {};
    var errs = {};
    view.fields.forEach(function (fd) {
      var id = 'af' + n + '-' + fd.name;
      var box;
      var err = el('span', { class: 'ferr', id: id + '-err' });
      if (fd.type === 'consent') {
        var cl = el('label', { class: 'consent', for: id });
        box = el('input', { id: id, type: 'checkbox', 'aria-describedby': id + '-err' });
        cl.appendChild(box);
        cl.appendChild(el('span', null, fd.label));
        f.appendChild(cl);
      } else {
        var lab = el('label', { for: id }, fd.label);
        if (!fd.required) lab.appendChild(el('span', { class: 'opt' }, tr('optional')));
        f.appendChild(lab);
        if (fd.type === 'select') {
          box = el('select', { id: id, 'aria-describedby': id + '-err' });
          box.appendChild(el('option', { value: '' }, fd.placeholder || tr('choose')));
          (fd.options || []).forEach(function (o) {
            box.appendChild(el('option', { value: o }, o));
          });
        } else if (fd.type === 'long_text') {
          box = el('textarea', { id: id, rows: '3', 'aria-describedby': id + '-err' });
        } else {
          var kind = INPUT_OF[fd.type] || { type: 'text', autocomplete: 'off' };
          box = el('input', {
            id: id,
            type: kind.type,
            autocomplete: kind.autocomplete,
            'aria-describedby': id + '-err',
          });
          if (kind.inputmode) box.setAttribute('inputmode', kind.inputmode);
        }
        if (fd.placeholder && fd.type !== 'select') box.setAttribute('placeholder', fd.placeholder);
        f.appendChild(box);
      }
      if (fd.required) {
        box.required = true;
        box.setAttribute('aria-required', 'true');
      }
      var clear = function () {
        err.textContent = '';
        box.setAttribute('aria-invalid', 'false');
      };
      box.addEventListener('input', clear);
      box.addEventListener('change', clear);
      inputs[fd.name] = box;
      errs[fd.name] = err;
      f.appendChild(err);
    });
    var button = el('button', { type: 'submit' }, view.submit_label || tr('send'));
    var general = el('p', { class: 'ferr', role: 'alert' });
    f.appendChild(button);
    f.appendChild(general);

    function values() {
      var v = {};
      view.fields.forEach(function (fd) {
        var b = inputs[fd.name];
        v[fd.name] = fd.type === 'consent' ? b.checked : b.value;
      });
      return v;
    }
    function showErrors(problems) {
      var first = null;
      for (var k in errs) {
        var msg = problems[k] || '';
        errs[k].textContent = msg;
        inputs[k].setAttribute('aria-invalid', msg ? 'true' : 'false');
        if (msg && !first) first = inputs[k];
      }
      if (first) first.focus();
    }
    f.addEventListener('submit', function (e) {
      e.preventDefault();
      if (button.disabled) return;
      var v = values();
      general.textContent = '';
      var problems = checkActionForm(view, v, L);
      showErrors(problems);
      if (Object.keys(problems).length) return;
      var body = {};
      view.fields.forEach(function (fd) {
        var x = v[fd.name];
        if (typeof x === 'string') x = x.trim();
        if (x !== '' && x !== false) body[fd.name] = x;
      });
      button.disabled = true;
      button.textContent = tr('sending');
      api('/v1/visitor/conversations/' + session.id + '/forms/' + ev.action_id, {
        method: 'POST',
        body: { values: body },
      }).then(
        function (res) {
          item.sent = view.fields
            .filter(function (fd) {
              return fd.type !== 'consent' && body[fd.name] != null;
            })
            .map(function (fd) {
              return String(body[fd.name]);
            })
            .join(' · ');
          if (res && res.message) item.before = res.message.id;
          save();
          upsert(res && res.message);
          render();
          input.focus();
        },
        function (err) {
          button.disabled = false;
          button.textContent = view.submit_label || tr('send');
          var found = {};
          var b = err.body || {};
          (b.errors || []).forEach(function (fe) {
            var leaf = String(fe.field || '').replace(/^values\./, '');
            if (leaf in errs && !found[leaf])
              found[leaf] = codePhrase(L, fe.code) || sentenceOf(fe.message);
          });
          if (Object.keys(found).length) showErrors(found);
          else general.textContent = err.status ? sentenceOf(err.message) : tr('unreachable');
        },
      );
    });
    return f;
  }

  /** @param {Element} item @param {HandoverChannel} channel @param {boolean} inChat */
  function chooseChannel(item, channel, inChat) {
    if (inChat && item.chosen === channel) return;
    report('/handover-channel', { channel: channel }).then(
      function (res) {
        if (!session) return;
        item.chosen = channel;
        save();
        upsert(res && res.message);
        if (res && res.contact_form) showForm(res.contact_form, lastId(), true, 'email');
        render();
        if (!(res && res.contact_form) && inChat) input.focus();
      },
      function (e) {
        if (gone(e)) forget();
      },
    );
  }

  function sentenceOf(t) {
    t = String(t || '').trim();
    if (!t) return tr('wrong');
    t = t.charAt(0).toUpperCase() + t.slice(1);
    return /[.!?]$/.test(t) ? t : t + '.';
  }

  /** Brings the log in line with the transcript and the outbox, touching only what changed (a
   * live region announces what is added, so nothing is re-added). */
  function render() {
    var list = Object.keys(messages)
      .map(function (k) {
        return messages[k];
      })
      .sort(function (a, b) {
        return a.id - b.id;
      });
    var wanted = [greetingNode];
    var keep = {};
    var pending = session && session.form ? session.form : null;
    if (pending && (!formNode || formNode._view !== pending.view))
      formNode = buildForm(pending.view, pending.kind);
    if (!pending) formNode = null;
    // Buttons and channel choices sit under the agent's answer to the message they came with:
    // before the visitor's next message.
    var extras = ((session && session.els) || []).map(function (item) {
      var key = 'e' + item.k + (item.chosen ? '-' + item.chosen : '') + (item.sent ? '-sent' : '');
      var n = nodes[key] || (nodes[key] = elementNode(item));
      keep[key] = true;
      return { after: item.after, before: item.before || 0, node: n };
    });
    var placed = false;
    list.forEach(function (m) {
      // Before the visitor's next message, or (a sent form) before the answer to it.
      while (
        extras.length &&
        ((m.author === 'visitor' && m.id > extras[0].after) ||
          (extras[0].before && m.id >= extras[0].before))
      )
        wanted.push(extras.shift().node);
      if (formNode && !placed && m.author === 'visitor' && m.id > pending.after) {
        wanted.push(formNode);
        placed = true;
      }
      var key = 'm' + m.id;
      var n = nodes[key] || (nodes[key] = messageNode(m));
      if (n._who) n._who.textContent = operatorName(m);
      keep[key] = true;
      wanted.push(n);
    });
    extras.forEach(function (x) {
      wanted.push(x.node);
    });
    if (session && session.ended) wanted.push(endNote);
    if (formNode && !placed) wanted.push(formNode);
    endBtn.hidden =
      !session ||
      !!session.ended ||
      !list.some(function (m) {
        return m.author === 'visitor';
      });
    outbox.forEach(function (item) {
      var n = nodes[item.key] || (nodes[item.key] = outboxNode(item));
      paintOutbox(n, item);
      keep[item.key] = true;
      wanted.push(n);
    });
    if (choices) wanted.push(choices);
    for (var k in nodes) {
      if (!keep[k]) {
        nodes[k].remove();
        delete nodes[k];
      }
    }
    var added = false;
    var ref = log.firstChild;
    wanted.forEach(function (n) {
      if (n === ref) {
        ref = ref.nextSibling;
      } else {
        log.insertBefore(n, ref);
        added = true;
      }
    });
    while (ref) {
      var next = ref.nextSibling;
      ref.remove();
      ref = next;
    }
    if (added) log.scrollTop = log.scrollHeight;
    updateUnread(list);
  }

  // ---------- unread replies while the panel is closed ----------
  function updateUnread(list) {
    if (!session) return setUnread(0);
    var last = list.length ? list[list.length - 1].id : 0;
    // A conversation remembered by an older widget: what is there counts as seen.
    if (typeof session.seen !== 'number') {
      session.seen = last;
      save();
    }
    if (!panel.hidden) {
      if (session.seen !== last) {
        session.seen = last;
        save();
      }
      return setUnread(0);
    }
    var n = 0;
    list.forEach(function (m) {
      if (m.id > session.seen && (m.author === 'operator' || m.author === 'ai')) n++;
    });
    setUnread(n);
  }

  var unread = 0;
  function setUnread(n) {
    if (n === unread) return;
    unread = n;
    badge.textContent = n > 9 ? '9+' : String(n);
    badge.hidden = n === 0;
    var words = n === 1 ? '1 unread message' : n + ' unread messages';
    bubble.setAttribute('aria-label', n ? title + ' (' + words + ')' : title);
    announce.textContent = n ? words + ' in ' + title : '';
  }

  // ---------- server ----------
  function api(path, opts) {
    opts = opts || {};
    var headers = { 'Content-Type': 'application/json' };
    if (session) headers['X-Visitor-Token'] = session.token;
    return fetch(base + path, {
      method: opts.method || 'GET',
      headers: headers,
      body: opts.body ? JSON.stringify(opts.body) : undefined,
      credentials: 'omit',
      keepalive: !!opts.keepalive,
    }).then(function (r) {
      // The server answers: if the stream is waiting to reconnect, it need not wait any more.
      if (retryTimer) {
        clearTimeout(retryTimer);
        retryTimer = null;
        setTimeout(reconnect, 0);
      }
      return r.text().then(function (t) {
        var body = null;
        try {
          body = t ? JSON.parse(t) : null;
        } catch {
          /* not JSON */
        }
        if (!r.ok) {
          /** @type {Error & {status?: number, body?: any}} */
          var err = new Error((body && body.message) || 'HTTP ' + r.status);
          err.status = r.status;
          err.body = body;
          throw err;
        }
        return body;
      });
    });
  }

  /** The conversation is gone (deleted, or the token no longer valid): start afresh. */
  function forget() {
    stopListening();
    session = null;
    save();
    messages = {};
    render();
  }

  function gone(e) {
    return e && (e.status === 404 || e.status === 401);
  }

  function start() {
    if (session) return Promise.resolve(session);
    var tz = null;
    try {
      tz = Intl.DateTimeFormat().resolvedOptions().timeZone || null;
    } catch {
      /* unknown */
    }
    return api('/v1/visitor/conversations', {
      method: 'POST',
      body: {
        agent_id: agentId,
        channel: 'widget',
        timezone: tz,
        language: navigator.language || null,
        metadata: { page: location.href.slice(0, 500) },
      },
    }).then(function (s) {
      session = { id: s.conversation.id, token: s.visitor_token, names: {}, seen: 0 };
      save();
      listen();
      if (s.contact_form) showForm(s.contact_form, 0, true);
      return session;
    });
  }

  function upsert(m) {
    if (!m || typeof m.id !== 'number' || m.internal) return;
    messages[m.id] = m;
    if (m.author === 'operator' && m.operator_id != null && unnamed[m.text]) {
      learnName(m.operator_id, unnamed[m.text]);
      delete unnamed[m.text];
    }
    // Our own message, back from the server before the answer to the POST (or stored though
    // the answer was lost): shown once, and not offered for a retry.
    if (m.author === 'visitor') {
      for (var i = 0; i < outbox.length; i++) {
        var o = outbox[i];
        if (m.id > o.after && o.text.trim() === m.text) {
          outbox.splice(i, 1);
          break;
        }
      }
    }
  }

  function lastVisitorId() {
    var best = 0;
    for (var k in messages)
      if (messages[k].author === 'visitor' && messages[k].id > best) best = messages[k].id;
    return best;
  }

  function lastId() {
    var ids = Object.keys(messages);
    return ids.length ? Number(ids[ids.length - 1]) : 0;
  }

  function learnName(operatorId, name) {
    if (!session || !name || session.names[operatorId] === name) return;
    session.names[operatorId] = name;
    save();
  }

  /** The transcript from the server (after a reload, a reconnection, a send), merged into what
   * is shown: a live event that arrived meanwhile is never dropped by an older answer. */
  function fetchMessages() {
    if (!session) return Promise.resolve();
    var id = session.id;
    return api('/v1/visitor/conversations/' + id + '/messages').then(
      function (list) {
        if (!session || session.id !== id) return;
        (list || []).forEach(upsert);
        render();
      },
      function (e) {
        if (gone(e) && session && session.id === id) forget();
        throw e;
      },
    );
  }

  // ---------- live: one event stream, reopened with backoff when lost ----------
  var events = null;
  var retryTimer = null;
  var failures = 0;
  var live = false;

  function setConn(text) {
    conn.textContent = text;
  }

  function stopListening() {
    if (events) events.close();
    events = null;
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    live = false;
    setConn('');
  }

  function lost() {
    if (events) events.close();
    events = null;
    live = false;
    if (!session) return;
    setConn(tr('reconnecting'));
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = setTimeout(reconnect, reconnectDelay(failures++));
  }

  function reconnect() {
    retryTimer = null;
    // Fetch first: it says whether the server is back (and whether the conversation still
    // exists), and brings what was missed meanwhile.
    fetchMessages().then(listen, function (e) {
      if (!gone(e)) lost();
    });
  }

  function listen() {
    if (!session || events || typeof EventSource === 'undefined') return;
    var url =
      base +
      '/v1/visitor/conversations/' +
      session.id +
      '/events?token=' +
      encodeURIComponent(session.token);
    var es = (events = new EventSource(url));
    es.addEventListener('open', function () {
      if (es !== events) return;
      var back = failures > 0 || conn.textContent !== '';
      failures = 0;
      live = true;
      setConn('');
      // What happened between the last fetch and this moment.
      if (back || Object.keys(messages).length) fetchMessages().catch(function () {});
    });
    es.addEventListener('error', function () {
      if (es === events) lost();
    });
    es.addEventListener('message', function (m) {
      try {
        upsert(JSON.parse(m.data).kind.message);
        render();
      } catch {
        /* ignore malformed events */
      }
    });
    es.addEventListener('visitor', function (m) {
      try {
        var e = JSON.parse(m.data).kind.event;
        if (e.type === 'contact_form') {
          showForm(e.form, lastVisitorId(), false);
          return;
        }
        if (e.type !== 'operator_reply') return;
        // The message itself came just before (with the operator's id): name it.
        var named = false;
        var list = Object.keys(messages);
        for (var i = list.length - 1; i >= 0; i--) {
          var msg = messages[list[i]];
          if (msg.author === 'operator' && msg.text === e.text && msg.operator_id != null) {
            learnName(msg.operator_id, e.operator_name);
            named = true;
            break;
          }
        }
        if (!named) unnamed[e.text] = e.operator_name;
        render();
      } catch {
        /* ignore malformed events */
      }
    });
    es.addEventListener('lagged', function () {
      fetchMessages().catch(function () {});
    });
  }

  window.addEventListener('online', function () {
    if (retryTimer) {
      clearTimeout(retryTimer);
      reconnect();
    }
  });

  // ---------- sending ----------
  var queue = Promise.resolve();

  function showChoices() {
    choices = el('div', { class: 'choices', role: 'group', 'aria-label': 'Answer' });
    var yes = el('button', { type: 'button', class: 'yes' }, tr('yes'));
    var no = el('button', { type: 'button' }, tr('no'));
    // The answer is sent in the visitor's words: the engine reads yes and no in its languages.
    yes.onclick = function () {
      post(tr('yes'));
    };
    no.onclick = function () {
      post(tr('no'));
    };
    choices.appendChild(yes);
    choices.appendChild(no);
    render();
    yes.focus();
  }

  /** Sends one outbox item (in order: one after the other), keeping it as failed on error. */
  function deliver(item) {
    item.state = 'sending';
    item.after = lastId();
    render();
    queue = queue.then(function () {
      return start()
        .then(function () {
          return api('/v1/visitor/conversations/' + session.id + '/messages', {
            method: 'POST',
            body: { text: item.text, attachments: [] },
          });
        })
        .then(function (reply) {
          var i = outbox.indexOf(item);
          if (i >= 0) outbox.splice(i, 1);
          upsert(reply.message);
          render();
          var asks = (reply.events || []).some(function (ev) {
            return ev.type === 'handoff_question';
          });
          var formEvent = (reply.events || []).filter(function (ev) {
            return ev.type === 'contact_form' && ev.form;
          })[0];
          if (session && session.ended) {
            session.ended = false;
            save();
          }
          // The answers (stored as messages) are read back with their ids and times.
          return fetchMessages()
            .catch(function () {})
            .then(function () {
              (reply.events || []).forEach(function (ev) {
                if (
                  (ev.type === 'buttons' ||
                    ev.type === 'handover_channels' ||
                    ev.type === 'action_form' ||
                    ev.type === 'action_button') &&
                  reply.message
                )
                  addElement(ev, reply.message.id);
              });
              render();
              if (formEvent && reply.message) showForm(formEvent.form, reply.message.id, false);
              if (asks) showChoices();
            });
        })
        .catch(function (e) {
          if (gone(e)) forget();
          // Delivered after all (its echo came on the stream): nothing failed.
          if (outbox.indexOf(item) < 0) return;
          item.state = 'failed';
          render();
          // Unreachable (no answer at all): the stream may not have noticed yet.
          if (!e.status && session && live) lost();
        });
    });
  }

  function post(text) {
    if (!text.trim()) return;
    if (choices) {
      choices.remove();
      choices = null;
    }
    var item = { key: 'o' + ++outboxSeq, text: text, state: 'sending' };
    outbox.push(item);
    deliver(item);
  }

  // ---------- opening and closing ----------
  var restored = false;
  function restore() {
    if (restored) return;
    restored = true;
    render();
    if (!session) return;
    fetchMessages().then(listen, function (e) {
      if (!gone(e)) lost();
    });
  }

  function setOpen(open) {
    panel.hidden = !open;
    wrap.className = open ? 'open' : '';
    bubble.setAttribute('aria-expanded', String(open));
    if (open) {
      restore();
      render();
      input.focus();
      // The conversation starts as the chat opens, so that a contact form set to appear at
      // the start is there before the first message (a failure here is retried on sending).
      if (!session)
        queue = queue.then(function () {
          return start().catch(function () {});
        });
    } else {
      bubble.focus();
    }
  }

  bubble.addEventListener('click', function () {
    setOpen(panel.hidden);
  });
  close.addEventListener('click', function () {
    setOpen(false);
  });
  endBtn.addEventListener('click', function () {
    if (!session || endBtn.disabled) return;
    var id = session.id;
    endBtn.disabled = true;
    api('/v1/visitor/conversations/' + id + '/end', { method: 'POST' })
      .then(function (res) {
        if (!session || session.id !== id) return;
        session.ended = true;
        save();
        render();
        if (res && res.contact_form) showForm(res.contact_form, lastId(), true);
        else input.focus();
      })
      .catch(function (e) {
        if (gone(e)) forget();
      })
      .then(function () {
        endBtn.disabled = false;
      });
  });
  panel.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') setOpen(false);
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var t = input.value;
    if (!t.trim()) return;
    input.value = '';
    post(t);
    input.focus();
  });
  input.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      if (form.requestSubmit) form.requestSubmit();
      else form.dispatchEvent(new Event('submit', { cancelable: true }));
    }
  });

  function mount() {
    document.body.appendChild(host);
    if (data.open === 'true') setOpen(true);
    // A conversation in progress: follow it while closed, so that replies show on the badge.
    else if (session) restore();
  }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
