// Helpline playground: a Bot Framework channel in the browser. Plain browser JavaScript, no build step.
// The server relays what you send to the bot's /api/messages and streams back what the bot posts.
(() => {
  const AC = window.AdaptiveCards;
  const CARD = 'application/vnd.microsoft.card.adaptive';
  const STORE_KEY = 'helpline-playground';

  /** @type {{ people: any[], views: any[], clock: any, organisation: string, bot: any }} */
  let state = { people: [], views: [], clock: { movable: false }, organisation: '', bot: {} };
  /** conversationId → activities, in arrival order */
  const conversations = new Map();
  /** conversationId → unread count */
  const unread = new Map();
  const saved = readSaved();
  let me = saved.me ?? null;
  let current = saved.view ?? null;
  let busyClock = false;

  const $ = (id) => document.getElementById(id);
  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children) if (c !== null && c !== undefined) node.append(c);
    return node;
  };

  function readSaved() {
    try {
      return JSON.parse(sessionStorage.getItem(STORE_KEY) ?? '{}') ?? {};
    } catch {
      return {};
    }
  }
  function save() {
    try {
      sessionStorage.setItem(STORE_KEY, JSON.stringify({ me, view: current }));
    } catch {
      // private mode: nothing to remember
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Server calls

  async function api(path, body) {
    const res = await fetch(path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let payload = null;
    try {
      payload = await res.json();
    } catch {
      payload = null;
    }
    if (!res.ok) {
      const message = payload?.error ?? `${res.status} ${res.statusText}`;
      throw new Error(typeof message === 'string' ? message : JSON.stringify(message));
    }
    return payload;
  }

  function toast(message, kind = 'info') {
    const node = el('div', { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : undefined }, message);
    $('toasts').append(node);
    setTimeout(() => node.remove(), kind === 'error' ? 8000 : 4500);
  }
  function announce(message) {
    $('announcer').textContent = message;
  }

  // ---------------------------------------------------------------------------------------------
  // Identity and views

  const person = (id) => state.people.find((p) => p.id === id);
  const personalId = (personId) => state.views.find((v) => v.kind === 'personal' && v.key === personId)?.conversationId;
  const view = (conversationId) => state.views.find((v) => v.conversationId === conversationId);
  const visibleViews = () => state.views.filter((v) => v.kind === 'channel' || v.key === me);

  function renderIdentity() {
    const select = $('identity');
    select.replaceChildren(
      ...state.people.map((p) => el('option', { value: p.id, selected: p.id === me }, `${p.name} — ${p.role}`)),
    );
    const p = person(me);
    $('identity-role').textContent = p ? (p.roles.length ? p.role : 'Requester (staff)') : '';
    $('identity-role').className = `role-badge ${p?.roles.length ? 'role-agent' : 'role-requester'}`;
  }

  function renderNav() {
    const item = (v) => {
      const count = unread.get(v.conversationId) ?? 0;
      const isCurrent = v.conversationId === current;
      const title = v.kind === 'personal' ? 'Helpline (personal chat)' : `#${v.name}`;
      return el(
        'li',
        {},
        el(
          'button',
          {
            type: 'button',
            class: `nav-item${isCurrent ? ' is-current' : ''}`,
            'aria-current': isCurrent ? 'page' : undefined,
            'data-conversation': v.conversationId,
            'data-key': v.key,
            title: v.purpose,
            onclick: () => open(v.conversationId),
          },
          el('span', { class: 'nav-name' }, title),
          v.kind === 'channel' ? el('span', { class: 'nav-purpose' }, v.purpose.split(':')[0]) : null,
          count > 0
            ? el('span', { class: 'badge', 'aria-label': `${count} new` }, count > 99 ? '99+' : String(count))
            : null,
        ),
      );
    };
    $('nav-personal').replaceChildren(
      ...visibleViews()
        .filter((v) => v.kind === 'personal')
        .map(item),
    );
    $('nav-channels').replaceChildren(
      ...visibleViews()
        .filter((v) => v.kind === 'channel')
        .map(item),
    );
  }

  function open(conversationId) {
    current = conversationId;
    unread.delete(conversationId);
    save();
    renderNav();
    renderConversation();
  }

  function switchTo(personId) {
    const wasPersonal = view(current)?.kind === 'personal';
    me = personId;
    if (!current || wasPersonal || !view(current)) current = personalId(me);
    save();
    renderIdentity();
    open(current);
    const p = person(me);
    announce(`You are now ${p?.name}, ${p?.role}`);
  }

  // ---------------------------------------------------------------------------------------------
  // Messages and cards

  const timeFormat = () =>
    new Intl.DateTimeFormat('en-GB', {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: state.clock.timeZone || undefined,
    });

  function renderConversation() {
    const v = view(current);
    if (!v) return;
    $('view-title').textContent = v.kind === 'personal' ? `${person(v.key)?.name ?? v.name} ↔ Helpline` : `#${v.name}`;
    const notes = [v.purpose];
    if (!v.handledHere) notes.push(`Configured on ${v.platform}: the bot posts there, not here.`);
    else if (v.kind === 'channel' && v.platform !== 'playground')
      notes.push(`The policy puts it on ${v.platform === 'teams' ? 'Microsoft Teams' : 'Slack'}; shown here.`);
    $('view-purpose').textContent = notes.join(' · ');
    const input = $('composer-input');
    input.placeholder =
      v.kind === 'personal'
        ? 'Describe your problem in plain words, or type “help”, “my tickets”, “status SR-1”'
        : `Message #${v.name} (the bot reads it as a channel message)`;
    $('composer-label').textContent = v.kind === 'personal' ? 'Message Helpline' : `Message #${v.name}`;
    const list = $('messages');
    const items = conversations.get(current) ?? [];
    list.replaceChildren(...items.map(renderActivity));
    if (items.length === 0) {
      list.append(
        el(
          'li',
          { class: 'empty' },
          v.kind === 'personal'
            ? 'Say what is wrong in your own words (“users can’t log in since 9am, invoicing is blocked”) and the bot fills in a ticket for you.'
            : 'Nothing here yet. The bot posts here when tickets need this channel.',
        ),
      );
    }
    scrollToEnd();
  }

  function scrollToEnd() {
    const list = $('messages');
    requestAnimationFrame(() => {
      list.scrollTop = list.scrollHeight;
    });
  }

  function initials(name) {
    return (name || '?')
      .split(/\s+/)
      .map((s) => s[0])
      .join('')
      .slice(0, 2)
      .toUpperCase();
  }

  function renderActivity(a) {
    const isBot = a.from?.role === 'bot';
    const at = new Date(a.timestamp);
    const body = el('div', { class: 'message-body' });
    const head = el(
      'div',
      { class: 'message-head' },
      el('span', { class: 'message-author' }, isBot ? 'Helpline' : a.from?.name || a.from?.id),
      isBot ? el('span', { class: 'bot-tag' }, 'bot') : null,
      el('time', { datetime: a.timestamp, class: 'message-time' }, timeFormat().format(at)),
      a.updatedAt ? el('span', { class: 'message-edited', title: `Updated ${a.updatedAt}` }, 'updated') : null,
    );
    body.append(head);
    if (a.text) body.append(el('p', { class: 'message-text' }, a.text));
    for (const att of a.attachments ?? []) {
      if (att?.contentType === CARD) body.append(renderCard(att.content, a));
      // An inline image (the weekly digest's chart), as Teams shows it: only data URIs, nothing fetched.
      else if (att?.contentType === 'image/png' && String(att.contentUrl ?? '').startsWith('data:image/png;base64,'))
        body.append(el('img', { class: 'message-image', src: att.contentUrl, alt: att.name || 'image' }));
    }
    return el(
      'li',
      {
        class: `message ${isBot ? 'from-bot' : 'from-user'}`,
        'data-activity-id': a.id,
      },
      el(
        'span',
        { class: `avatar${isBot ? ' avatar-bot' : ''}`, 'aria-hidden': 'true' },
        isBot ? 'H' : initials(a.from?.name),
      ),
      body,
    );
  }

  /** `<at>Name</at>` mentions as bold @Name (Teams renders them from the card's msteams entities). */
  function withMentions(value) {
    if (typeof value === 'string') return value.replace(/<at>([^<]*)<\/at>/g, '**@$1**');
    if (Array.isArray(value)) return value.map(withMentions);
    if (value && typeof value === 'object') {
      const out = {};
      for (const [k, v] of Object.entries(value)) out[k] = withMentions(v);
      return out;
    }
    return value;
  }

  // The same text colours on white and on the emphasis background.
  const foregroundColors = {
    default: { default: '#1f2430', subtle: '#5c6370' },
    accent: { default: '#2f4fc2', subtle: '#4c6ad6' },
    good: { default: '#1b7a3a', subtle: '#2f8f4e' },
    warning: { default: '#9a5b00', subtle: '#a86a10' },
    attention: { default: '#b3261e', subtle: '#c2453d' },
  };
  const hostConfig = new AC.HostConfig({
    fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
    supportsInteractivity: true,
    spacing: { small: 4, default: 10, medium: 16, large: 24, extraLarge: 32, padding: 14 },
    fontSizes: { small: 12, default: 14, medium: 16, large: 19, extraLarge: 23 },
    actions: {
      maxActions: 6,
      spacing: 'default',
      buttonSpacing: 8,
      showCard: { actionMode: 'inline', inlineTopMargin: 12 },
      actionsOrientation: 'horizontal',
      actionAlignment: 'left',
    },
    containerStyles: {
      default: {
        backgroundColor: '#FFFFFF',
        foregroundColors,
      },
      emphasis: {
        backgroundColor: '#F3F5FA',
        foregroundColors,
      },
    },
  });

  /** A tiny markdown subset (bold, italic, links, line breaks, bullets), HTML-escaped first. */
  function markdown(text) {
    const escapes = [];
    let s = String(text).replace(/\\([\\`*_[\]~\-+>#.!()])/g, (_m, c) => `\uE000${escapes.push(c) - 1}\uE000`);
    s = s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
    s = s
      .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
      .replace(/(^|[\s(])_([^_]+)_(?=[\s).,!?:;]|$)/g, '$1<em>$2</em>')
      .replace(/(^|[\s(])\*([^*]+)\*(?=[\s).,!?:;]|$)/g, '$1<em>$2</em>')
      .replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, '<a href="$2" target="_blank" rel="noopener noreferrer">$1</a>')
      .replace(/^\s*[-*] (.*)$/gm, '• $1')
      .replace(/\n/g, '<br>');
    return s.replace(/\uE000(\d+)\uE000/g, (_m, i) =>
      escapes[Number(i)].replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]),
    );
  }
  AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
    result.outputHtml = markdown(text);
    result.didProcess = true;
  };

  function renderCard(content, activity) {
    const holder = el('div', { class: 'card' });
    try {
      const card = new AC.AdaptiveCard();
      card.hostConfig = hostConfig;
      card.onExecuteAction = (action) => void runAction(action, activity, holder);
      card.parse(withMentions(content));
      const rendered = card.render();
      if (rendered) {
        // The renderer lets buttons shrink to "Assign t…"; they wrap onto a second row instead.
        for (const b of rendered.querySelectorAll('.ac-pushButton')) b.style.flex = '0 0 auto';
        holder.append(rendered);
      }
    } catch (err) {
      holder.append(el('p', { class: 'card-error' }, `This card could not be shown: ${err.message}`));
    }
    return holder;
  }

  async function runAction(action, activity, holder) {
    if (action instanceof AC.OpenUrlAction) {
      if (action.url && /^https?:/i.test(action.url)) window.open(action.url, '_blank', 'noopener,noreferrer');
      return;
    }
    const isExecute = action instanceof AC.ExecuteAction;
    if (!isExecute && !(action instanceof AC.SubmitAction)) return;
    const p = person(me);
    holder.classList.add('is-busy');
    holder.setAttribute('aria-busy', 'true');
    try {
      const r = await api('/playground/api/actions', {
        as: me,
        conversationId: activity.conversationId,
        replyToId: activity.id,
        action: isExecute
          ? { type: 'Action.Execute', verb: action.verb, data: action.data ?? {} }
          : { type: 'Action.Submit', data: action.data ?? {} },
      });
      if (r.kind === 'message' && r.message) toast(r.message);
      else if (r.kind === 'error') toast(r.message || 'The bot refused that action', 'error');
      else if (r.kind === 'card') announce(`${action.title ?? 'Action'} done as ${p?.name}`);
    } catch (err) {
      toast(`Could not reach the bot: ${err.message}`, 'error');
    } finally {
      holder.classList.remove('is-busy');
      holder.removeAttribute('aria-busy');
    }
  }

  function upsert(a) {
    const list = conversations.get(a.conversationId) ?? [];
    const at = list.findIndex((x) => x.id === a.id);
    const isNew = at < 0;
    if (isNew) list.push(a);
    else list[at] = a;
    conversations.set(a.conversationId, list);
    if (a.conversationId === current) {
      const node = $('messages').querySelector(`[data-activity-id="${CSS.escape(a.id)}"]`);
      if (node) node.replaceWith(renderActivity(a));
      else {
        $('messages').querySelector('.empty')?.remove();
        $('messages').append(renderActivity(a));
        scrollToEnd();
      }
    } else if (isNew && a.from?.role === 'bot' && visibleViews().some((v) => v.conversationId === a.conversationId)) {
      unread.set(a.conversationId, (unread.get(a.conversationId) ?? 0) + 1);
      const v = view(a.conversationId);
      renderNav();
      announce(`New message in ${v?.kind === 'personal' ? 'your chat' : `#${v?.name}`}`);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Composer

  async function send(event) {
    event?.preventDefault();
    const input = $('composer-input');
    const text = input.value.trim();
    if (!text || !current) return;
    input.value = '';
    $('composer-send').disabled = true;
    try {
      await api('/playground/api/messages', { as: me, conversationId: current, text });
    } catch (err) {
      input.value = text;
      toast(`Not sent: ${err.message}`, 'error');
    } finally {
      $('composer-send').disabled = false;
      input.focus();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The movable clock

  function showClock(now) {
    if (now) state.clock.now = now;
    const at = new Date(state.clock.now);
    $('clock-now').textContent = timeFormat().format(at);
    $('clock-now').setAttribute('datetime', state.clock.now);
    $('clock-zone').textContent = state.clock.timeZone ?? '';
  }

  async function refreshClock() {
    try {
      const c = await api('/playground/api/clock');
      state.clock = { ...state.clock, ...c };
      showClock();
    } catch {
      // the server is restarting: the event stream reconnects and we try again later
    }
  }

  function setClockBusy(busy, label) {
    busyClock = busy;
    for (const id of ['advance-hour', 'advance-day', 'advance-week', 'run-scheduler']) $(id).disabled = busy;
    $('clock').setAttribute('aria-busy', busy ? 'true' : 'false');
    if (label) $('clock-now').textContent = label;
  }

  /**
   * Time passes as it would for the real scheduler (which sweeps every minute): the clock moves in
   * steps and the SLA sweep runs after each, so a warning shows before the breach it precedes.
   */
  async function advance(minutes, step, label) {
    if (busyClock) return;
    setClockBusy(true);
    try {
      let moved = 0;
      while (moved < minutes) {
        const by = Math.min(step, minutes - moved);
        const c = await api('/test/clock', { advanceMinutes: by });
        moved += by;
        showClock(c.now);
        await api('/test/scheduler/run', moved < minutes ? { jobs: ['sla-sweep'] } : {});
      }
      toast(`Moved the clock ${label} and ran the scheduler`);
    } catch (err) {
      toast(`Could not move the clock: ${err.message}`, 'error');
    } finally {
      setClockBusy(false);
      await refreshClock();
    }
  }

  async function runScheduler() {
    if (busyClock) return;
    setClockBusy(true);
    try {
      const r = await api('/test/scheduler/run', {});
      const processed = (r.ran ?? []).reduce((n, j) => n + (j.processed ?? 0), 0);
      toast(`Scheduler ran ${r.ran?.length ?? 0} jobs: ${processed} due, ${r.delivered ?? 0} notices sent`);
    } catch (err) {
      toast(`Could not run the scheduler: ${err.message}`, 'error');
    } finally {
      setClockBusy(false);
      await refreshClock();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Start

  function connect() {
    const events = new EventSource('/playground/events');
    events.addEventListener('activity', (e) => {
      try {
        upsert(JSON.parse(e.data));
      } catch {
        // a malformed frame: ignore it
      }
    });
    return events;
  }

  async function start() {
    connect();
    state = await api('/playground/api/state');
    $('organisation').textContent = state.organisation;
    for (const [id, list] of Object.entries(state.conversations ?? {})) {
      const mine = conversations.get(id) ?? [];
      for (const a of list) if (!mine.some((x) => x.id === a.id)) mine.push(a);
      mine.sort((x, y) => (x.timestamp < y.timestamp ? -1 : x.timestamp > y.timestamp ? 1 : 0));
      conversations.set(id, mine);
    }
    if (!person(me)) me = state.people[0]?.id ?? null;
    if (!current || !visibleViews().some((v) => v.conversationId === current)) current = personalId(me);
    renderIdentity();
    open(current);
    $('clock').hidden = false;
    $('clock-buttons').hidden = !state.clock.movable;
    showClock();
    setInterval(refreshClock, 30_000);
  }

  $('identity').addEventListener('change', (e) => switchTo(e.target.value));
  $('composer').addEventListener('submit', send);
  $('composer-input').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) send(e);
  });
  $('advance-hour').addEventListener('click', () => advance(60, 5, '1 hour'));
  $('advance-day').addEventListener('click', () => advance(1440, 30, '1 day'));
  // A week is past a resolution target (50 business hours) and up the escalation ladder.
  $('advance-week').addEventListener('click', () => advance(7 * 1440, 120, '1 week'));
  $('run-scheduler').addEventListener('click', runScheduler);

  start().catch((err) => toast(`The playground could not start: ${err.message}`, 'error'));
})();
