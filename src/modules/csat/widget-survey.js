/* Earshot satisfaction prompt for the chat widget (issue 7). widget.js loads this from its own origin when a `survey`
 * frame arrives and calls window.__earshotSurvey(frame, messageList, send); `rated` frames call .done(frame).
 * All texts come from the server in the survey's language. Kept apart so the widget itself stays small. */
(() => {
  if (window.__earshotSurvey) return;
  var CSS = '.survey{border:1px solid #bbb;border-radius:10px;padding:8px;margin:0;display:grid;gap:6px}.survey legend{padding:0 4px}' +
    '.sc{display:flex;gap:4px}.sc button{flex:1;padding:6px 0;border:1px solid #1f6feb;border-radius:6px;background:#fff;color:#1f6feb;cursor:pointer}' +
    '.sc button[aria-pressed=true]{background:#1f6feb;color:#fff}';
  var el = null;
  function show(m, list, send) {
    if (el?.isConnected) return;
    var root = list.getRootNode();
    if (!root.querySelector('style.es-survey')) {
      const st = document.createElement('style');
      st.className = 'es-survey';
      st.textContent = CSS;
      (root.head || root).appendChild(st);
    }
    var score = 0;
    // A fieldset: its legend (the question) names the group of score buttons for assistive technology.
    el = document.createElement('fieldset');
    el.className = 'survey';
    el.innerHTML = '<legend></legend><div class="sc"></div><textarea rows="2" maxlength="5000"></textarea><button type="button" class="primary"></button>';
    el.querySelector('legend').textContent = m.question;
    var comment = el.querySelector('textarea');
    comment.placeholder = m.commentLabel;
    comment.setAttribute('aria-label', m.commentLabel);
    var row = el.querySelector('.sc');
    m.labels.forEach((label, i) => {
      var b = document.createElement('button');
      b.type = 'button';
      b.textContent = String(i + 1);
      b.title = label;
      b.setAttribute('aria-label', `${i + 1} – ${label}`);
      b.setAttribute('aria-pressed', 'false');
      b.onclick = () => {
        score = i + 1;
        row.querySelectorAll('button').forEach((x) => { x.setAttribute('aria-pressed', String(x === b)); });
      };
      row.appendChild(b);
    });
    var sendButton = el.querySelector('.primary');
    sendButton.textContent = m.sendLabel;
    sendButton.onclick = () => {
      if (score) send({ type: 'rate', score: score, comment: comment.value, conversationId: m.conversationId });
      else row.firstChild.focus();
    };
    list.appendChild(el);
    list.scrollTop = list.scrollHeight;
  }
  show.done = (m) => {
    if (!el) return;
    el.textContent = m.thanks;
    el.setAttribute('role', 'status');
    el = null;
  };
  window.__earshotSurvey = show;
})();
