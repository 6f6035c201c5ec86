/*! Baton chat widget. Paste on a website:
 *
 *   <script src="https://YOUR-BATON-SERVER/widget.js" data-agent="1" async></script>
 *
 * Options (data- attributes on the script tag): data-agent (agent id; default: the default
 * agent), data-title (panel title), data-color (accent colour), data-greeting (first line shown),
 * data-open="true" (open at once).
 *
 * Plain JavaScript, no dependencies, nothing loaded from anywhere else. It talks to the Baton
 * server it was loaded from: POST /v1/visitor/conversations to start (lazily, on the first
 * message), POST …/{id}/messages with the X-Visitor-Token header to send, and server-sent events
 * from …/{id}/events for operator replies. The conversation is remembered in localStorage.
 */
(function () {
  'use strict';
  if (window.__batonWidget) return;
  window.__batonWidget = true;

  var script =
    document.currentScript ||
    (function () {
      var all = document.querySelectorAll('script[src*="widget.js"]');
      return all[all.length - 1];
    })();
  if (!script) return;
  var base = new URL(script.src, location.href).origin;
  var data = script.dataset || {};
  var agentId = data.agent && /^\d+$/.test(data.agent) ? Number(data.agent) : null;
  var title = data.title || 'Chat with us';
  var color = data.color || '#5e6ad2';
  var greeting = data.greeting || 'Hi! How can we help?';
  var storeKey = 'baton.widget.' + base + '.' + (agentId || 'default');

  // ---------- storage (may be unavailable: private mode, sandboxed frames) ----------
  function load() {
    try {
      var v = JSON.parse(localStorage.getItem(storeKey) || 'null');
      return v && typeof v.id === 'number' && typeof v.token === 'string' ? v : null;
    } catch {
      return null;
    }
  }
  function save(v) {
    try {
      if (v) localStorage.setItem(storeKey, JSON.stringify(v));
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
    '.bubble:focus-visible,.panel button:focus-visible,.panel textarea:focus-visible{outline:3px solid var(--c);outline-offset:2px}' +
    '.bubble svg{width:26px;height:26px}' +
    '.panel{position:fixed;right:20px;bottom:88px;width:360px;max-width:calc(100vw - 40px);height:520px;' +
    'max-height:calc(100vh - 120px);background:#fff;color:#1c1d21;border-radius:14px;overflow:hidden;' +
    'box-shadow:0 12px 48px rgba(0,0,0,.22);display:flex;flex-direction:column;z-index:2147483000;font-size:14px;line-height:1.45}' +
    '.panel[hidden]{display:none}' +
    '.head{display:flex;align-items:center;gap:8px;padding:14px 16px;background:var(--c);color:#fff}' +
    '.head h2{margin:0;font-size:15px;font-weight:600;flex:1}' +
    '.head button{border:0;background:transparent;color:#fff;font-size:20px;cursor:pointer;width:28px;height:28px;border-radius:6px}' +
    '.log{flex:1;overflow-y:auto;padding:14px;display:flex;flex-direction:column;gap:8px;background:#fafafb}' +
    '.m{max-width:82%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere;background:#eef0f3}' +
    '.m.me{align-self:flex-end;background:var(--c);color:#fff}' +
    '.m.op{background:#e4f5ec}' +
    '.m.note{align-self:center;background:transparent;color:#6b6f7b;font-size:12.5px;text-align:center}' +
    '.who{display:block;font-size:11.5px;font-weight:600;color:#6b6f7b;margin-bottom:2px}' +
    '.choices{display:flex;gap:8px;margin-top:8px}' +
    '.choices button{flex:1;height:32px;border-radius:8px;border:1px solid var(--c);background:#fff;color:var(--c);cursor:pointer;font-weight:600}' +
    '.choices button.yes{background:var(--c);color:#fff}' +
    'form{display:flex;gap:8px;padding:10px;border-top:1px solid #e3e4e8;background:#fff}' +
    'textarea{flex:1;resize:none;height:40px;padding:9px 10px;border:1px solid #cfd1d8;border-radius:8px;font-size:14px;color:#1c1d21}' +
    'form button{border:0;border-radius:8px;background:var(--c);color:#fff;padding:0 14px;cursor:pointer;font-weight:600}' +
    'form button:disabled{opacity:.5;cursor:default}' +
    '.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}';

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
  var panel = el('div', { class: 'panel', id: 'baton-panel', role: 'dialog', 'aria-label': title });
  panel.hidden = true;
  var head = el('div', { class: 'head' });
  var h = el('h2', null, title);
  var close = el('button', { type: 'button', 'aria-label': 'Close chat' }, '×');
  head.appendChild(h);
  head.appendChild(close);
  var log = el('div', {
    class: 'log',
    role: 'log',
    'aria-live': 'polite',
    'aria-label': 'Messages',
  });
  var form = el('form');
  var label = el('label', { class: 'sr', for: 'baton-input' }, 'Your message');
  var input = el('textarea', { id: 'baton-input', placeholder: 'Write a message…', rows: '1' });
  var send = el('button', { type: 'submit' }, 'Send');
  form.appendChild(label);
  form.appendChild(input);
  form.appendChild(send);
  panel.appendChild(head);
  panel.appendChild(log);
  panel.appendChild(form);
  wrap.appendChild(panel);
  wrap.appendChild(bubble);
  root.appendChild(style);
  root.appendChild(wrap);

  function add(kind, text, who) {
    var m = el('div', { class: 'm ' + kind });
    if (who) m.appendChild(el('span', { class: 'who' }, who));
    m.appendChild(document.createTextNode(text));
    log.appendChild(m);
    log.scrollTop = log.scrollHeight;
    return m;
  }

  function clearChoices() {
    var c = log.querySelectorAll('.choices');
    for (var i = 0; i < c.length; i++) c[i].remove();
  }

  // ---------- server ----------
  var session = load();
  var events = null;
  var busy = false;

  function api(path, opts) {
    opts = opts || {};
    var headers = { 'Content-Type': 'application/json' };
    if (session) headers['X-Visitor-Token'] = session.token;
    return fetch(base + path, {
      method: opts.method || 'GET',
      headers: headers,
      body: opts.body ? JSON.stringify(opts.body) : undefined,
      credentials: 'omit',
    }).then(function (r) {
      return r.text().then(function (t) {
        var body = t ? JSON.parse(t) : null;
        if (!r.ok) {
          var err = new Error((body && body.message) || 'HTTP ' + r.status);
          err.status = r.status;
          throw err;
        }
        return body;
      });
    });
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
      session = { id: s.conversation.id, token: s.visitor_token };
      save(session);
      listen();
      return session;
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
    events = new EventSource(url);
    events.addEventListener('visitor', function (m) {
      try {
        var e = JSON.parse(m.data).kind.event;
        if (e.type === 'operator_reply') add('op', e.text, e.operator_name || 'Support');
      } catch {
        /* ignore malformed events */
      }
    });
  }

  function show(ev) {
    switch (ev.type) {
      case 'handoff_question': {
        add('ai', ev.text);
        var c = el('div', { class: 'choices', role: 'group', 'aria-label': 'Answer' });
        var yes = el('button', { type: 'button', class: 'yes' }, 'Yes');
        var no = el('button', { type: 'button' }, 'No');
        yes.onclick = function () {
          clearChoices();
          post('yes');
        };
        no.onclick = function () {
          clearChoices();
          post('no');
        };
        c.appendChild(yes);
        c.appendChild(no);
        log.appendChild(c);
        log.scrollTop = log.scrollHeight;
        yes.focus();
        break;
      }
      case 'information_request':
        add('ai', ev.prompt);
        break;
      case 'operator_reply':
        add('op', ev.text, ev.operator_name);
        break;
      default:
        // reply, confirmation, out_of_hours
        if (ev.text) add('ai', ev.text);
    }
  }

  function post(text) {
    if (busy || !text.trim()) return;
    busy = true;
    send.disabled = true;
    clearChoices();
    add('me', text);
    start()
      .then(function () {
        return api('/v1/visitor/conversations/' + session.id + '/messages', {
          method: 'POST',
          body: { text: text, attachments: [] },
        });
      })
      .then(function (reply) {
        (reply.events || []).forEach(show);
      })
      .catch(function (e) {
        if (e.status === 404 || e.status === 401) {
          // The conversation is gone (or the token): start afresh next time.
          session = null;
          save(null);
        }
        add('note', 'Sorry, the message could not be sent. Please try again.');
      })
      .then(function () {
        busy = false;
        send.disabled = false;
        input.focus();
      });
  }

  var restored = false;
  function restore() {
    if (restored) return;
    restored = true;
    if (!session) {
      add('ai', greeting);
      return;
    }
    api('/v1/visitor/conversations/' + session.id + '/messages')
      .then(function (messages) {
        if (!messages.length) add('ai', greeting);
        messages.forEach(function (m) {
          if (m.author === 'visitor') add('me', m.text);
          else if (m.author === 'operator') add('op', m.text, 'Support');
          else if (m.author === 'ai') add('ai', m.text);
          else add('note', m.text);
        });
        listen();
      })
      .catch(function () {
        session = null;
        save(null);
        add('ai', greeting);
      });
  }

  function setOpen(open) {
    panel.hidden = !open;
    bubble.setAttribute('aria-expanded', String(open));
    if (open) {
      restore();
      input.focus();
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
  panel.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') setOpen(false);
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var t = input.value;
    input.value = '';
    post(t);
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
  }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
