/* Earshot chat widget: <script src="https://earshot.example/widget.js" data-account="acme" data-queue="<queue id>"
   data-lang="de"></script>. Plain JS in a Shadow DOM; at-least-once delivery de-duplicated both ways (client ids, seq).
   Details and frames: docs/channels-chat.md. */
(() => {
  // biome-ignore lint/suspicious/noRedundantUseStrict: served as a classic script on customers' pages, not as a module
  'use strict';
  var script = document.currentScript;
  if (!script?.src || window.__earshotChat) return;
  window.__earshotChat = true;
  var ORIGIN = new URL(script.src, location.href).origin;
  var WS_URL = `${ORIGIN.replace(/^http/, 'ws')}/api/v1/chat/socket`;
  var ACCOUNT = script.getAttribute('data-account') || '';
  var QUEUE = script.getAttribute('data-queue') || undefined;
  var MAX_FILE = 5 * 1024 * 1024;
  var TEXTS = {
    en: { launcher: 'Chat with us', title: 'Chat', available: 'An agent is available', byEmail: "We'll answer by email",
      name: 'Your name', email: 'Email', emailRequired: 'Email (required: we answer by email)', first: 'How can we help?',
      start: 'Start chat', send: 'Send', typing: 'Agent is typing…', attach: 'Attach a file', tooLarge: 'The file is too large (max 5 MB)',
      end: 'End chat', ended: 'The chat has ended.', reconnecting: 'Reconnecting…', moved: "No agent is free right now: we'll answer by email.",
      failed: 'Not sent', close: 'Close', uploadFailed: 'Upload failed', msg: 'Your message' },
    de: { launcher: 'Chatten Sie mit uns', title: 'Chat', available: 'Ein Mitarbeiter ist erreichbar', byEmail: 'Wir antworten per E-Mail',
      name: 'Ihr Name', email: 'E-Mail', emailRequired: 'E-Mail (erforderlich: wir antworten per E-Mail)', first: 'Wie können wir helfen?',
      start: 'Chat starten', send: 'Senden', typing: 'Ein Mitarbeiter schreibt…', attach: 'Datei anhängen', tooLarge: 'Die Datei ist zu groß (max. 5 MB)',
      end: 'Chat beenden', ended: 'Der Chat ist beendet.', reconnecting: 'Verbindung wird wiederhergestellt…',
      moved: 'Gerade ist niemand frei: wir antworten per E-Mail.', failed: 'Nicht gesendet', close: 'Schließen', uploadFailed: 'Hochladen fehlgeschlagen',
      msg: 'Ihre Nachricht' },
    nb: { launcher: 'Chat med oss', title: 'Chat', available: 'En medarbeider er tilgjengelig', byEmail: 'Vi svarer på e-post',
      name: 'Navnet ditt', email: 'E-post', emailRequired: 'E-post (påkrevd: vi svarer på e-post)', first: 'Hva kan vi hjelpe med?',
      start: 'Start chat', send: 'Send', typing: 'En medarbeider skriver…', attach: 'Legg ved en fil', tooLarge: 'Filen er for stor (maks 5 MB)',
      end: 'Avslutt chat', ended: 'Chatten er avsluttet.', reconnecting: 'Kobler til igjen…',
      moved: 'Ingen er ledig akkurat nå: vi svarer på e-post.', failed: 'Ikke sendt', close: 'Lukk', uploadFailed: 'Opplastingen mislyktes',
      msg: 'Meldingen din' },
  };
  var wanted = (script.getAttribute('data-lang') || navigator.language || 'en').toLowerCase();
  var LANG = /^de/.test(wanted) ? 'de' : /^(nb|no|nn)/.test(wanted) ? 'nb' : 'en';
  var T = TEXTS[LANG];

  // ---- state (kept in localStorage)
  var KEY = `earshot-chat:${ORIGIN}:${ACCOUNT}`;
  var store = load();
  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || '{}') || {}; } catch { return {}; }
  }
  function save() {
    try { localStorage.setItem(KEY, JSON.stringify(store)); } catch { /* private mode: memory only */ }
  }
  store.outbox = store.outbox || [];
  var ws = null, welcomed = false, retry = 0, retryTimer = null, available = null, typingTimer = null, typingSent = false;
  var lastSeq = 0, seen = {}, pending = {};

  // ---- DOM
  var host = document.createElement('div');
  host.setAttribute('data-earshot-chat', '');
  document.body.appendChild(host);
  var root = host.attachShadow({ mode: 'open' });
  root.innerHTML =
    '<style>' +
    ':host{all:initial}*{box-sizing:border-box;font:14px/1.4 system-ui,sans-serif}' +
    '.launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;border:0;border-radius:24px;padding:12px 18px;background:#1f6feb;color:#fff;cursor:pointer;box-shadow:0 2px 8px #0004}' +
    '.panel{position:fixed;right:20px;bottom:80px;z-index:2147483000;width:340px;max-width:calc(100vw - 40px);height:480px;max-height:calc(100vh - 100px);display:flex;flex-direction:column;background:#fff;color:#111;border-radius:10px;box-shadow:0 4px 24px #0005;overflow:hidden}' +
    '.panel[hidden]{display:none}header{background:#1f6feb;color:#fff;padding:10px 12px;display:flex;align-items:center;gap:8px}' +
    'header b{flex:1}header button{background:none;border:0;color:#fff;cursor:pointer}.status{font-size:12px}' +
    '.notice{padding:6px 12px;background:#fff4d6;font-size:13px}.notice:empty{display:none}' +
    'form.prechat{padding:12px;display:flex;flex-direction:column;gap:8px;overflow:auto}' +
    'input,textarea{width:100%;padding:7px;border:1px solid #bbb;border-radius:6px;color:#111;background:#fff}textarea{resize:none}' +
    'button.primary{padding:8px 12px;border:0;border-radius:6px;background:#1f6feb;color:#fff;cursor:pointer}' +
    '.chat{flex:1;display:flex;flex-direction:column;min-height:0}.chat[hidden],form[hidden]{display:none}' +
    '.messages{flex:1;overflow:auto;padding:10px;display:flex;flex-direction:column;gap:6px}' +
    '.msg{max-width:80%;padding:7px 10px;border-radius:10px;white-space:pre-wrap;word-wrap:break-word}' +
    '.msg.visitor{align-self:flex-end;background:#1f6feb;color:#fff}.msg.agent{align-self:flex-start;background:#eef1f5}' +
    '.msg.pending{opacity:.6}.msg.failed{background:#b42318}.msg .file{display:block;font-size:12px;opacity:.85}' +
    '.typing{padding:0 10px 4px;font-size:12px;color:#555;min-height:18px}' +
    '.composer{display:flex;gap:6px;padding:8px;border-top:1px solid #ddd;align-items:flex-end}.composer textarea{flex:1;height:38px}' +
    '.composer label{cursor:pointer;padding:6px}.composer input[type=file]{display:none}.end{font-size:12px;background:none;border:0;color:#555;cursor:pointer;padding:4px 10px;text-align:right}' +
    '</style>' +
    '<button class="launcher" type="button"></button>' +
    '<div class="panel" hidden role="dialog" aria-labelledby="es-t"><header><b class="title" id="es-t"></b><span class="status"></span><button class="close" type="button">✕</button></header>' +
    '<div class="notice" role="status"></div>' +
    '<form class="prechat"><input name="name" autocomplete="name"><input name="email" type="email" autocomplete="email">' +
    '<textarea name="text" rows="3" required></textarea><button class="primary" type="submit"></button></form>' +
    '<div class="chat" hidden><div class="messages" aria-live="polite" tabindex="0"></div><div class="typing"></div>' +
    '<button class="end" type="button"></button>' +
    '<div class="composer"><label title=""><input type="file">📎</label><textarea name="compose"></textarea><button class="primary send" type="button"></button></div></div></div>';
  function $(sel) { return root.querySelector(sel); }
  var panel = $('.panel'), form = $('form.prechat'), chat = $('.chat'), list = $('.messages'), notice = $('.notice');
  var compose = $('textarea[name=compose]'), fileInput = $('input[type=file]');
  $('.launcher').textContent = T.launcher;
  $('.title').textContent = T.title;
  $('.close').setAttribute('aria-label', T.close);
  form.elements.name.placeholder = T.name;
  form.elements.text.placeholder = T.first;
  form.querySelector('button').textContent = T.start;
  $('.send').textContent = T.send;
  compose.placeholder = T.msg;
  $('.end').textContent = T.end;
  $('.composer label').title = T.attach;
  if (store.name) form.elements.name.value = store.name;
  if (store.email) form.elements.email.value = store.email;

  function setNotice(text) { notice.textContent = text || ''; }
  function showChat(on) { chat.hidden = !on; form.hidden = on; }
  function renderAvailability() {
    $('.status').textContent = available === null ? '' : available ? T.available : T.byEmail;
    form.elements.email.placeholder = available === false ? T.emailRequired : T.email;
    form.elements.email.required = available === false;
  }
  showChat(!!store.conversationId || store.outbox.length > 0);
  if (store.open) panel.hidden = false;

  $('.launcher').onclick = () => {
    panel.hidden = !panel.hidden;
    store.open = !panel.hidden;
    save();
    if (!panel.hidden) connect();
  };
  $('.close').onclick = () => { panel.hidden = true; store.open = false; save(); };

  function clientId() {
    var a = new Uint8Array(12);
    crypto.getRandomValues(a);
    return `w${Array.prototype.map.call(a, (b) => (`0${b.toString(16)}`).slice(-2)).join('')}`;
  }

  function bubble(from, text, files) {
    var el = document.createElement('div');
    el.className = `msg ${from}`;
    el.textContent = text || '';
    (files || []).forEach((f) => {
      var s = document.createElement('span');
      s.className = 'file';
      s.textContent = `📎 ${f.filename}`;
      el.appendChild(s);
    });
    list.appendChild(el);
    list.scrollTop = list.scrollHeight;
    return el;
  }

  function showIncoming(m) {
    if (m.seq <= lastSeq || seen[m.id]) return; // shown already (replays and at-least-once delivery)
    seen[m.id] = true;
    lastSeq = m.seq;
    var el = m.clientId && pending[m.clientId];
    if (el) {
      delete pending[m.clientId];
      el.classList.remove('pending');
    } else el = bubble(m.from, m.text, m.attachments);
    el.setAttribute('data-seq', String(m.seq));
    el.setAttribute('data-id', m.id);
    if (m.from === 'agent') $('.typing').textContent = '';
  }

  // ---- outgoing: frames stay in the outbox until acked
  function queueFrame(frame, files) {
    store.outbox.push(frame);
    save();
    var el = bubble('visitor', frame.text, files);
    el.classList.add('pending');
    el.setAttribute('data-client-id', frame.clientId);
    pending[frame.clientId] = el;
    sendRaw(frame);
  }
  function sendRaw(frame) {
    if (ws && ws.readyState === 1 && welcomed) ws.send(JSON.stringify(frame));
  }
  function flushOutbox() {
    store.outbox.forEach((f) => {
      if (!pending[f.clientId]) {
        const el = bubble('visitor', f.text, f.files);
        el.classList.add('pending');
        pending[f.clientId] = el;
      }
      sendRaw(f);
    });
  }
  function dropFromOutbox(id) {
    store.outbox = store.outbox.filter((f) => f.clientId !== id);
    save();
  }

  form.onsubmit = (e) => {
    e.preventDefault();
    var name = form.elements.name.value.trim(), email = form.elements.email.value.trim(), text = form.elements.text.value.trim();
    if (!text || (available === false && !email)) return;
    store.name = name;
    store.email = email;
    form.elements.text.value = '';
    showChat(true);
    queueFrame({ type: 'start', clientId: clientId(), name: name || undefined, email: email || undefined, lang: LANG, queue: QUEUE, text: text });
  };
  function sendComposed() {
    var text = compose.value.trim();
    if (!text) return;
    compose.value = '';
    stopTyping();
    queueFrame({ type: 'message', clientId: clientId(), text: text });
  }
  $('.send').onclick = sendComposed;
  compose.onkeydown = (e) => {
    if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); sendComposed(); }
  };
  compose.oninput = () => {
    if (!typingSent) { typingSent = true; sendRaw({ type: 'typing', on: true }); }
    clearTimeout(typingTimer);
    typingTimer = setTimeout(stopTyping, 3000);
  };
  function stopTyping() {
    clearTimeout(typingTimer);
    if (typingSent) { typingSent = false; sendRaw({ type: 'typing', on: false }); }
  }
  // Ending first offers the transcript by email: chat-end.js, loaded on demand
  var api = { chat: chat, list: list, lang: LANG, email: () => store.email, send: sendRaw,
    reset: () => { resetChat(); setNotice(''); } };
  $('.end').onclick = () => { lazy('/chat-end.js', '__earshotEnd', (E) => { E(api); }); };
  function lazy(src, name, f) {
    if (window[name]) return f(window[name]);
    var s = document.createElement('script');
    s.src = ORIGIN + src;
    s.onload = () => { f(window[name]); };
    document.head.appendChild(s);
  }
  function resetChat() {
    store.conversationId = null;
    store.outbox = [];
    save();
    list.textContent = '';
    lastSeq = 0; seen = {}; pending = {};
    showChat(false);
  }

  fileInput.onchange = () => {
    var file = fileInput.files?.[0];
    fileInput.value = '';
    if (!file) return;
    if (file.size > MAX_FILE) { setNotice(T.tooLarge); return; }
    var reader = new FileReader();
    reader.onload = () => {
      var data = String(reader.result).replace(/^data:[^,]*,/, '');
      // text/plain keeps this a "simple" cross-origin request: no preflight.
      fetch(`${ORIGIN}/api/v1/chat/uploads`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ visitorToken: store.token, filename: file.name, contentType: file.type || 'application/octet-stream', data: data }),
      }).then((r) => {
        if (!r.ok) throw new Error(String(r.status));
        return r.json();
      }).then((u) => {
        var files = [{ filename: u.filename }];
        queueFrame({ type: 'message', clientId: clientId(), text: '', uploads: [u.id], files: files }, files);
      }).catch(() => { setNotice(T.uploadFailed); });
    };
    reader.readAsDataURL(file);
  };

  // ---- connection with resume
  function connect() {
    if (ws || !ACCOUNT) return;
    clearTimeout(retryTimer);
    welcomed = false;
    var sock = new WebSocket(WS_URL);
    ws = sock;
    sock.onopen = () => {
      sock.send(JSON.stringify({ type: 'hello', account: ACCOUNT, visitorToken: store.token || undefined,
        conversationId: store.conversationId || undefined, lastSeq: lastSeq, queue: QUEUE }));
    };
    sock.onmessage = (ev) => {
      var m;
      try { m = JSON.parse(ev.data); } catch { return; }
      onFrame(m);
    };
    sock.onclose = () => {
      if (ws !== sock) return;
      ws = null;
      welcomed = false;
      setNotice(T.reconnecting);
      retryTimer = setTimeout(connect, Math.min(15000, 500 * 2 ** retry++) * (0.75 + Math.random() / 2));
    };
  }
  window.addEventListener('online', () => { if (!ws) { retry = 0; connect(); } });

  function onFrame(m) {
    switch (m.type) {
      case 'welcome':
        welcomed = true;
        retry = 0;
        setNotice('');
        store.token = m.visitorToken;
        if (store.conversationId && m.conversationId !== store.conversationId && !hasStart()) resetChat();
        store.conversationId = m.conversationId || store.conversationId || null;
        save();
        available = m.availability ? !!m.availability.available : null;
        renderAvailability();
        if (m.mode === 'email') setNotice(T.moved);
        if (m.conversationId) showChat(true);
        flushOutbox();
        break;
      case 'ack':
        dropFromOutbox(m.clientId);
        if (m.conversationId && store.conversationId !== m.conversationId) { store.conversationId = m.conversationId; save(); }
        break;
      case 'message':
        showIncoming(m);
        break;
      case 'typing':
        $('.typing').textContent = m.on ? T.typing : '';
        break;
      case 'availability':
        available = !!m.available;
        renderAvailability();
        break;
      case 'moved_to_email':
        setNotice(T.moved);
        break;
      case 'survey': // satisfaction prompt (issue 7): its own script, loaded when needed
        lazy('/csat-widget.js', '__earshotSurvey', (S) => { S(m, list, sendRaw); });
        break;
      case 'rated':
        if (window.__earshotSurvey) window.__earshotSurvey.done(m);
        break;
      case 'ended': // chat-end.js keeps the transcript on screen; other tabs start over
        if (window.__earshotEnd) { store.conversationId = null; store.outbox = []; save(); window.__earshotEnd.ended(m, api); }
        else { resetChat(); setNotice(T.ended); }
        break;
      case 'error':
        if (m.clientId) {
          dropFromOutbox(m.clientId);
          const el = pending[m.clientId];
          if (el) { el.classList.add('failed'); el.title = `${T.failed}: ${m.message}`; delete pending[m.clientId]; }
          if (m.code === 'email_required') {
            available = false;
            renderAvailability();
            if (el) el.remove();
            form.elements.text.value = el?.firstChild?.textContent || '';
            showChat(false);
            form.elements.email.focus();
          }
        }
        setNotice(m.message);
        break;
    }
  }
  function hasStart() {
    return store.outbox.some((f) => f.type === 'start');
  }

  // ---- help articles: public API, published public articles only
  (function helpSearch() {
    var KB = {
      en: { label: 'Search our help articles first', search: 'Search', none: 'No article found — start a chat below.' },
      de: { label: 'Erst in unseren Hilfeartikeln suchen', search: 'Suchen', none: 'Kein Artikel gefunden – starten Sie unten einen Chat.' },
      nb: { label: 'Søk i hjelpeartiklene våre først', search: 'Søk', none: 'Fant ingen artikkel – start en chat nedenfor.' },
    }[LANG];
    var style = document.createElement('style');
    style.textContent = '.kb{display:flex;flex-direction:column;gap:6px;border-bottom:1px solid #ddd;padding-bottom:8px}.kb label{font-size:13px;color:#333}' +
      '.kb .row{display:flex;gap:6px}.kb ul{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:4px}' +
      '.kb a{color:#1f5fa8}.kb small{display:block;color:#555}.kb mark{background:#fff3b0}';
    root.appendChild(style);
    var box = document.createElement('div');
    box.className = 'kb';
    box.setAttribute('role', 'search');
    box.innerHTML = '<label for="earshot-kb-q"></label><div class="row"><input id="earshot-kb-q" type="search" maxlength="200">' +
      '<button class="primary kb-go" type="button"></button></div><ul aria-live="polite"></ul>';
    box.querySelector('label').textContent = KB.label;
    box.querySelector('.kb-go').textContent = KB.search;
    form.insertBefore(box, form.firstChild);
    var input = box.querySelector('input'), out = box.querySelector('ul');
    function mark(el, snippet) {
      String(snippet || '').split(/[\u27e6\u27e7]/).forEach((part, i) => {
        var n = i % 2 ? document.createElement('mark') : document.createTextNode(part);
        if (i % 2) n.textContent = part;
        el.appendChild(n);
      });
    }
    function run() {
      var q = input.value.trim();
      if (!q) return;
      fetch(`${ORIGIN}/api/v1/public/kb/${encodeURIComponent(ACCOUNT)}/search?limit=5&lang=${LANG}&q=${encodeURIComponent(q)}`)
        .then((r) => r.ok ? r.json() : { items: [] })
        .then((r) => {
          out.textContent = '';
          if (!r.items.length) { const li0 = document.createElement('li'); li0.textContent = KB.none; out.appendChild(li0); return; }
          r.items.forEach((it) => {
            var li = document.createElement('li'), a = document.createElement('a'), sm = document.createElement('small');
            a.href = ORIGIN + it.url; a.target = '_blank'; a.rel = 'noopener'; a.textContent = it.title; a.lang = it.lang;
            mark(sm, it.snippet);
            li.appendChild(a); li.appendChild(sm); out.appendChild(li);
          });
        })
        .catch(() => { out.textContent = ''; });
    }
    box.querySelector('.kb-go').onclick = run;
    input.onkeydown = (e) => { if (e.key === 'Enter') { e.preventDefault(); run(); } };
  })();

  if (store.token || store.open) connect();
  renderAvailability();
})();
