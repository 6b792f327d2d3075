/* Earshot chat widget: ending a chat (issue 13). widget.js loads this from its own origin (/chat-end.js) when the
 * visitor presses "End chat" and calls window.__earshotEnd(api), api = {chat, list, lang, email(), send(frame), reset()}.
 * It offers the transcript by email first (the visitor enters or confirms the address), then sends
 * leave {transcript?}. The `ended` frame calls .ended(frame, api): the transcript stays on screen, the composer goes,
 * a notice says where the transcript went, and "New chat" starts over. Kept apart so widget.js stays small. */
(() => {
  if (window.__earshotEnd) return;
  var TX = {
    en: { ask: 'End the chat? We can email you the transcript first.', email: 'Email for the transcript', send: 'Email transcript and end',
      no: 'End without transcript', cancel: 'Keep chatting', ended: 'The chat has ended.', sent: 'The chat has ended. The transcript is on its way to {email}.',
      again: 'New chat' },
    de: { ask: 'Chat beenden? Wir können Ihnen vorher das Protokoll per E-Mail schicken.', email: 'E-Mail für das Protokoll',
      send: 'Protokoll senden und beenden', no: 'Ohne Protokoll beenden', cancel: 'Weiter chatten', ended: 'Der Chat ist beendet.',
      sent: 'Der Chat ist beendet. Das Protokoll ist unterwegs an {email}.', again: 'Neuer Chat' },
    nb: { ask: 'Avslutte chatten? Vi kan sende deg utskriften på e-post først.', email: 'E-post for utskriften',
      send: 'Send utskrift og avslutt', no: 'Avslutt uten utskrift', cancel: 'Fortsett å chatte', ended: 'Chatten er avsluttet.',
      sent: 'Chatten er avsluttet. Utskriften er på vei til {email}.', again: 'Ny chat' },
  };
  var CSS = '.endbox{margin:8px;padding:10px;border:1px solid #bbb;border-radius:10px;display:grid;gap:8px;background:#fff}' +
    '.endbox p{margin:0}.endbox label{display:grid;gap:4px;font-size:13px}.endbox .row{display:flex;flex-wrap:wrap;gap:6px}' +
    '.endbox .plain{padding:8px 10px;border:1px solid #1f6feb;border-radius:6px;background:#fff;color:#1f5fa8;cursor:pointer}' +
    '.endnote{margin:8px;padding:8px 10px;background:#eef6ee;border-radius:8px;display:grid;gap:8px;justify-items:start}' +
    '.over .composer,.over .end,.over .typing{display:none}';
  var box = null;
  function texts(api) { return TX[api.lang] || TX.en; }
  function style(api) {
    var root = api.chat.getRootNode();
    if (root.querySelector('style.es-end')) return;
    var st = document.createElement('style');
    st.className = 'es-end';
    st.textContent = CSS;
    (root.head || root).appendChild(st);
  }
  function end(api) {
    var t = texts(api);
    if (box?.isConnected) { box.querySelector('input').focus(); return; }
    style(api);
    box = document.createElement('form');
    box.className = 'endbox';
    box.setAttribute('aria-label', t.ask);
    box.innerHTML = '<p></p><label><span></span><input type="email" name="transcript" autocomplete="email" maxlength="320"></label>' +
      '<div class="row"><button type="submit" class="primary"></button><button type="button" class="plain no"></button>' +
      '<button type="button" class="plain cancel"></button></div>';
    box.querySelector('p').textContent = t.ask;
    box.querySelector('label span').textContent = t.email;
    box.querySelector('.primary').textContent = t.send;
    box.querySelector('.no').textContent = t.no;
    box.querySelector('.cancel').textContent = t.cancel;
    var input = box.querySelector('input');
    input.value = api.email() || '';
    box.onsubmit = (e) => {
      e.preventDefault();
      var v = input.value.trim();
      if (!v || !input.checkValidity()) { input.focus(); return; }
      api.send({ type: 'leave', transcript: v });
    };
    box.querySelector('.no').onclick = () => { api.send({ type: 'leave' }); };
    box.querySelector('.cancel').onclick = () => { box.remove(); box = null; };
    api.list.parentNode.insertBefore(box, api.list.nextSibling);
    input.focus();
  }
  // The chat has ended: keep the conversation readable (and room for the satisfaction prompt), take the composer away.
  end.ended = (m, api) => {
    var t = texts(api);
    if (box) { box.remove(); box = null; }
    style(api);
    api.chat.classList.add('over');
    var note = document.createElement('div');
    note.className = 'endnote';
    note.setAttribute('role', 'status');
    var p = document.createElement('span');
    p.textContent = m.transcript ? t.sent.replace('{email}', m.transcript) : t.ended;
    var again = document.createElement('button');
    again.type = 'button';
    again.className = 'primary';
    again.textContent = t.again;
    again.onclick = () => { note.remove(); api.chat.classList.remove('over'); api.reset(); };
    note.appendChild(p);
    note.appendChild(again);
    api.list.appendChild(note);
    api.list.scrollTop = api.list.scrollHeight;
  };
  window.__earshotEnd = end;
})();
