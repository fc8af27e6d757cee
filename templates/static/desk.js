// The welcome desk: scans badges (handheld scanner or camera), shows a full-screen verdict,
// decides offline from a downloaded roster and sends those scans later, finds people
// without a badge and registers walk-ins. Plain JavaScript, no build step.
(() => {
  'use strict';

  const root = document.getElementById('desk');
  if (!root) return;
  const $ = (id) => document.getElementById(id);
  const parse = (text, fallback) => {
    try { return JSON.parse(text); } catch (_) { return fallback; }
  };

  const TEXT = parse(root.dataset.strings, {});
  const tr = (key, vars) => {
    let s = TEXT[key] || key;
    for (const [k, v] of Object.entries(vars || {})) s = s.split('{' + k + '}').join(String(v));
    return s;
  };
  const SLUG = root.dataset.edition;
  const LANG = document.documentElement.lang || 'fr';
  const MAY_OVERRIDE = root.dataset.mayOverride === 'true';
  const DAYS = parse(root.dataset.days, []);
  const DAY_LABELS = parse(root.dataset.dayLabels, {});
  const SESSIONS = parse(root.dataset.sessions, []);
  const CSRF = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';

  const LIFE = { ok: 2500, reentry: 2500, warn: 4000, bad: 6000, neutral: 6000 };
  const SCAN_TIMEOUT = 3000;
  const SAME_CODE_MS = 3000;
  const ROSTER_EVERY = 120000;
  const RETRY_EVERY = 5000;

  // ---------------------------------------------------------------- storage
  const KEY = {
    desk: 'rencontres.desk.name',
    mode: 'rencontres.desk.mode.' + SLUG,
    session: 'rencontres.desk.session.' + SLUG,
    roster: 'rencontres.desk.roster.' + SLUG,
    entries: 'rencontres.desk.entries.' + SLUG,
    conflicts: 'rencontres.desk.conflicts.' + SLUG,
    // One queue for every edition: a scan waits for the server whatever page is open.
    queue: 'rencontres.desk.queue',
  };
  const store = {
    get(key, fallback) {
      try {
        const v = localStorage.getItem(key);
        return v === null ? fallback : JSON.parse(v);
      } catch (_) { return fallback; }
    },
    set(key, value) {
      try { localStorage.setItem(key, JSON.stringify(value)); return true; } catch (_) { return false; }
    },
  };

  // ---------------------------------------------------------------- elements
  const el = {
    deskName: $('desk-name'), deskHint: $('desk-name-hint'), mode: $('mode'), session: $('session'),
    sessionCtl: $('session-ctl'), scanForm: $('scan-form'), scan: $('scan'), scanSession: $('scan-session'),
    net: $('net-status'), queue: $('queue-count'), banner: $('auth-banner'), rosterInfo: $('roster-info'),
    verdict: $('verdict'), vWord: $('verdict-word'), vName: $('verdict-name'), vDetail: $('verdict-detail'), vNote: $('verdict-note'),
    vFacts: $('verdict-facts'), vAccess: $('verdict-access'), vOffline: $('verdict-offline'),
    undo: $('undo'), override: $('override'), history: $('history'), conflicts: $('conflicts'),
    conflictList: $('conflict-list'), sync: $('sync'), search: $('search'), searchNote: $('search-note'),
    results: $('search-results'), walkin: $('walkin-form'), walkinProblem: $('walkin-problem'),
    walkinSubmit: $('walkin-submit'), camera: $('camera'), cameraOpen: $('camera-open'),
    cameraClose: $('camera-close'), video: $('camera-video'), cameraStatus: $('camera-status'),
    toast: $('toast'), printFrame: $('print-frame'),
  };

  // ---------------------------------------------------------------- small helpers
  const pad = (n) => String(n).padStart(2, '0');
  /** Now, as RFC 3339 in the edition's time zone (the server's times are), else the device's. */
  const rfc3339 = (d = new Date()) => {
    try {
      const f = new Intl.DateTimeFormat('en-GB', {
        timeZone: zone(), year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
        second: '2-digit', hourCycle: 'h23', timeZoneName: 'longOffset',
      });
      const x = Object.fromEntries(f.formatToParts(d).map((p) => [p.type, p.value]));
      const off = x.timeZoneName.replace('GMT', '') || '+00:00';
      if (/^[+-]\d\d:\d\d$/.test(off)) return x.year + '-' + x.month + '-' + x.day + 'T' + x.hour + ':' + x.minute + ':' + x.second + off;
    } catch (_) { /* below */ }
    const off = -d.getTimezoneOffset();
    const a = Math.abs(off);
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' + pad(d.getHours()) + ':' +
      pad(d.getMinutes()) + ':' + pad(d.getSeconds()) + (off >= 0 ? '+' : '-') + pad(Math.floor(a / 60)) + ':' + pad(a % 60);
  };
  /** "09:14" from the local part of an RFC 3339 time, without converting time zones. */
  const hhmm = (s) => (typeof s === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(s) ? s.slice(11, 16) : '');
  const nowHHMM = () => hhmm(rfc3339());
  const fold = (s) => String(s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const fullName = (p) => (p ? [p.first_name, (p.last_name || '').toUpperCase()].filter(Boolean).join(' ') : '');
  const newNonce = () => {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  };
  const isField = (node) => !!node && (node.tagName === 'INPUT' || node.tagName === 'SELECT' || node.tagName === 'TEXTAREA' || node.isContentEditable);
  const make = (tag, cls, text) => {
    const n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined && text !== null) n.textContent = text;
    return n;
  };
  const zone = () => {
    const tz = roster && roster.edition && roster.edition.timezone;
    return tz || root.dataset.timezone || undefined;
  };
  /** Today's date where the edition takes place. */
  const today = () => rfc3339().slice(0, 10);
  const dayLabel = (iso) => DAY_LABELS[iso] || iso;

  let toastTimer = 0;
  function toast(message, link) {
    clearTimeout(toastTimer);
    el.toast.textContent = message;
    if (link) {
      const a = make('a', '', link.text);
      a.href = link.href;
      a.target = '_blank';
      a.rel = 'noopener';
      el.toast.append(a);
    }
    toastTimer = setTimeout(() => { el.toast.textContent = ''; }, link ? 9000 : 4000);
  }

  // ---------------------------------------------------------------- network
  let reachable = navigator.onLine;
  let expired = false;

  function renderNet() {
    const state = expired ? 'expired' : (reachable && navigator.onLine ? 'online' : 'offline');
    el.net.dataset.state = state;
    el.net.querySelector('.net-text').textContent =
      state === 'expired' ? tr('desk_logged_out') : tr(state === 'online' ? 'desk_online' : 'desk_offline');
    el.banner.hidden = !expired;
  }
  const online = () => navigator.onLine && !expired;

  /** A same-origin JSON request; never throws. `network` is true when no answer came. */
  async function api(method, path, body, timeout) {
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), timeout || 10000);
    const headers = { Accept: 'application/json', 'Accept-Language': LANG };
    if (method !== 'GET') {
      headers['Content-Type'] = 'application/json';
      headers['X-CSRF-Token'] = CSRF;
    }
    try {
      const res = await fetch(path, {
        method, headers, credentials: 'same-origin', cache: 'no-store', signal: ctl.signal,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const data = await res.json().catch(() => null);
      reachable = true;
      if (res.status === 401 || res.status === 403) expired = true;
      else if (res.ok) expired = false;
      renderNet();
      return { ok: res.ok, status: res.status, data, network: false };
    } catch (_) {
      reachable = false;
      renderNet();
      return { ok: false, status: 0, data: null, network: true };
    } finally {
      clearTimeout(timer);
    }
  }
  /** An error answer's code, sentence and field problems: `{error: {…, fields}}` or `{…, errors}`. */
  const problem = (r) => {
    const d = r.data || {};
    const e = d.error && typeof d.error === 'object' ? d.error : d;
    const fields = e.fields || e.errors || d.errors || [];
    return { code: e.code || '', message: e.message || '', fields: Array.isArray(fields) ? fields : [] };
  };
  const errorMessage = (r) => problem(r).message;

  // ---------------------------------------------------------------- roster
  let roster = store.get(KEY.roster, null);
  let byRef = new Map();
  let byId = new Map();
  let entries = new Set(store.get(KEY.entries, [])); // "registration|session" seen at this door

  function indexRoster() {
    byRef = new Map();
    byId = new Map();
    for (const p of (roster && roster.people) || []) {
      if (p.ref) byRef.set(String(p.ref).toLowerCase(), p);
      if (p.id) byId.set(p.id, p);
    }
  }
  function saveRoster() {
    if (roster) store.set(KEY.roster, roster);
    renderRoster();
  }
  function renderRoster() {
    if (!roster || !roster.people) {
      el.rosterInfo.textContent = tr('desk_roster_none');
      return;
    }
    el.rosterInfo.textContent = tr('desk_roster_info', {
      n: roster.people.length, time: hhmm(roster.generated_at) || hhmm(roster.fetched_at_local) || '—',
    });
  }
  async function refreshRoster() {
    if (!online()) return;
    const r = await api('GET', '/api/v1/desk/' + encodeURIComponent(SLUG) + '/roster', undefined, 30000);
    if (!r.ok || !r.data || !Array.isArray(r.data.people)) return;
    roster = r.data;
    roster.fetched_at_local = rfc3339();
    indexRoster();
    // Check-ins still waiting for the server are not in the new list yet.
    for (const item of queue) if (item.local) markLocal(item.local);
    saveRoster();
  }
  /** Remembers a check-in in the local list, so an offline scan knows about it. */
  function markLocal(local) {
    const p = local.id && byId.get(local.id);
    if (!p || !local.day) return;
    p.checked_in = p.checked_in || {};
    if (!p.checked_in[local.day]) p.checked_in[local.day] = { at: local.at, desk: local.desk, by: local.by || '' };
  }
  function unmarkLocal(id, day) {
    const p = byId.get(id);
    if (p && p.checked_in) delete p.checked_in[day];
  }

  // ---------------------------------------------------------------- badge tokens, offline
  const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  function base32(s) {
    const out = [];
    let bits = 0;
    let value = 0;
    for (const ch of s) {
      const i = B32.indexOf(ch);
      if (i < 0) return null;
      value = ((value << 5) | i) & 0x1fff;
      bits += 5;
      if (bits >= 8) {
        out.push((value >>> (bits - 8)) & 0xff);
        bits -= 8;
      }
    }
    return Uint8Array.from(out);
  }
  const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  function base64url(s) {
    let t = String(s).replace(/-/g, '+').replace(/_/g, '/');
    while (t.length % 4) t += '=';
    return Uint8Array.from(atob(t), (c) => c.charCodeAt(0));
  }
  const CONTEXT = new TextEncoder().encode('rencontres-badge-v1');

  /** key id, reference and version of a badge token, or null when it is not one. */
  function decodeToken(token) {
    const t = String(token).trim().toUpperCase();
    if (!t.startsWith('RC1')) return null;
    const bytes = base32(t.slice(3));
    if (!bytes || bytes.length !== 82) return null;
    return {
      keyId: hex(bytes.slice(0, 4)), ref: hex(bytes.slice(4, 16)), version: (bytes[16] << 8) | bytes[17],
      signed: bytes.slice(0, 18), signature: bytes.slice(18),
    };
  }
  function signatureHolds(t) {
    if (!window.nacl || !roster || !roster.key) return null;
    try {
      const message = new Uint8Array(CONTEXT.length + 18);
      message.set(CONTEXT);
      message.set(t.signed, CONTEXT.length);
      return nacl.sign.detached.verify(message, t.signature, base64url(roster.key.public_key));
    } catch (_) { return false; }
  }

  /** A scanner set to a US layout on a French keyboard types "RC&" and é"'(-è for 1–7;
      such a token is put back before anything else. */
  function normaliseToken(raw) {
    const t = String(raw || '').trim();
    if (!/^rc&/i.test(t)) return t;
    const map = { '&': '1', 'é': '2', '"': '3', "'": '4', '(': '5', '-': '6', 'è': '7', '_': '8', 'ç': '9', 'à': '0', ',': 'M', '?': 'M' };
    const swap = { a: 'q', q: 'a', z: 'w', w: 'z', A: 'Q', Q: 'A', Z: 'W', W: 'Z' };
    return Array.from(t, (c) => map[c] || swap[c] || c).join('').toUpperCase();
  }

  const registrationOf = (p) => (p ? {
    id: p.id, first_name: p.first_name, last_name: p.last_name, organisation: p.organisation, country: p.country,
    category: p.category, category_label: p.category_label, status: p.status, lunch: p.lunch,
    accessibility: p.accessibility, days: p.days || [], edition: SLUG,
  } : null);

  /** What the server would most likely answer, from the local list. `letIn` scans are queued. */
  function decideOffline(req) {
    const day = today();
    const a = {
      result: 'invalid', reason: '', message: '', day, session: req.session || null, checkin_id: null,
      first_checkin: null, conflict: false, replayed: false, registration: null,
    };
    if (!roster || !roster.people) return Object.assign(a, { result: 'unverified' });
    let person = null;
    if (req.token) {
      const t = decodeToken(req.token);
      if (!t) return Object.assign(a, { reason: 'malformed' });
      if (!roster.key || t.keyId !== String(roster.key.key_id).toLowerCase()) return Object.assign(a, { result: 'wrong_edition' });
      const holds = signatureHolds(t);
      if (holds === null) return Object.assign(a, { result: 'unverified' });
      if (!holds) return Object.assign(a, { reason: 'forged' });
      person = byRef.get(t.ref);
      if (!person) return Object.assign(a, { reason: 'unknown', unknownOffline: true });
      a.registration = registrationOf(person);
      // A newer badge than the list knows was printed since it was downloaded: it is the valid one.
      if (t.version < Number(person.version)) return Object.assign(a, { result: 'revoked' });
    } else {
      person = byId.get(req.registration);
      if (!person) return Object.assign(a, { reason: 'unknown', unknownOffline: true });
      a.registration = registrationOf(person);
    }
    if (person.status === 'cancelled') return Object.assign(a, { result: 'cancelled' });
    if (person.status === 'waitlisted') return Object.assign(a, { reason: 'waitlisted' });
    const eventDays = (roster.edition && roster.edition.days) || DAYS;
    if (!eventDays.includes(day)) return Object.assign(a, { result: 'wrong_day', reason: 'not_event_day' });
    if (!req.override && Array.isArray(person.days) && person.days.length && !person.days.includes(day)) {
      return Object.assign(a, { result: 'wrong_day', reason: 'not_registered_day' });
    }
    const at = rfc3339();
    const desk = req.desk;
    if (req.session) {
      const k = person.id + '|' + req.session;
      const seen = entries.has(k);
      entries.add(k);
      store.set(KEY.entries, Array.from(entries));
      return Object.assign(a, { result: seen ? 'already' : 'checked_in', letIn: true });
    }
    const first = person.checked_in && person.checked_in[day];
    if (first) return Object.assign(a, { result: 'already', first_checkin: { at: first.at, desk: first.desk, by: first.by || '' } });
    a.local = { id: person.id, day, at, desk };
    markLocal(a.local);
    saveRoster();
    return Object.assign(a, { result: 'checked_in', letIn: true });
  }

  /** Keeps the local list in step with what the server said. */
  function learn(answer, req) {
    const reg = answer && answer.registration;
    if (!reg || !reg.id) return;
    const p = byId.get(reg.id);
    if (!p) return;
    const day = answer.day || today();
    p.checked_in = p.checked_in || {};
    if (answer.result === 'checked_in' && !answer.session) {
      p.checked_in[day] = p.checked_in[day] || { at: (req && req.scanned_at) || rfc3339(), desk: (req && req.desk) || deskName() };
    } else if (answer.result === 'already' && answer.first_checkin && !answer.session) {
      p.checked_in[day] = answer.first_checkin;
    }
    if (answer.session) entries.add(p.id + '|' + answer.session);
    saveRoster();
  }

  // ---------------------------------------------------------------- queue of offline scans
  let queue = store.get(KEY.queue, []);
  if (!Array.isArray(queue)) queue = [];
  const saveQueue = () => { store.set(KEY.queue, queue); renderQueue(); };

  function renderQueue() {
    const n = queue.length;
    el.queue.dataset.count = String(n);
    el.queue.textContent = n === 0 ? tr('desk_queue_none') : n === 1 ? tr('desk_queue_one') : tr('desk_queue_many', { n });
  }

  let flushing = false;
  /** Sends waiting scans one by one, oldest first, each with its own nonce so a retry never
      counts twice; stops at the first that gets no answer. */
  async function flush() {
    if (flushing || !queue.length || !online()) return;
    flushing = true;
    const done = [];
    try {
      while (queue.length && online()) {
        const item = queue[0];
        const body = Object.assign({}, item.body);
        const r = await api('POST', '/api/v1/checkins', body, 10000);
        if (r.network || r.status >= 500 || r.status === 401 || r.status === 403 || r.status === 408 || r.status === 429) break;
        // Answered: a verdict, or a refusal that no retry would change.
        queue.shift();
        saveQueue();
        done.push({ item, r });
        if (r.ok && r.data) {
          learn(r.data, body);
          if (r.data.conflict) addConflict(r.data, item);
          settleHistory(body.nonce, r.data);
        }
      }
    } finally {
      flushing = false;
      renderQueue();
      if (done.length) showSync(done);
    }
  }

  function showSync(done) {
    el.sync.textContent = '';
    const head = make('div', 'head');
    head.append(make('strong', '', tr('desk_sync_title', { n: done.length })));
    const close = make('button', 'secondary', tr('desk_dismiss'));
    close.type = 'button';
    close.addEventListener('click', () => { el.sync.hidden = true; refocus(); });
    head.append(close);
    const list = make('ul', 'plain');
    for (const { item, r } of done) {
      const a = r.data || {};
      const li = make('li');
      const name = fullName(a.registration) || item.name || '—';
      let what = r.ok && a.result ? describe(a, false).word : tr('desk_sync_failed') + (errorMessage(r) ? ' — ' + errorMessage(r) : '');
      const f = a.first_checkin;
      if (r.ok && a.result === 'already' && f) what += ' — ' + [f.desk, hhmm(f.at)].filter(Boolean).join(', ');
      li.append(make('span', '', hhmm(item.body.scanned_at) + ' · ' + name), make('strong', '', what));
      list.append(li);
    }
    el.sync.append(head, list);
    el.sync.hidden = false;
  }

  // ---------------------------------------------------------------- conflicts
  let conflicts = store.get(KEY.conflicts, []);
  function addConflict(answer, item) {
    const first = answer.first_checkin || {};
    conflicts.push({
      id: item.body.nonce, name: fullName(answer.registration) || item.name || '—',
      desk: first.desk || '', time: hhmm(first.at),
    });
    store.set(KEY.conflicts, conflicts);
    renderConflicts();
  }
  function renderConflicts() {
    el.conflictList.textContent = '';
    for (const c of conflicts) {
      const li = make('li');
      li.append(make('span', '', tr('desk_conflict', { name: c.name, desk: c.desk, time: c.time })));
      const b = make('button', 'secondary', tr('desk_dismiss'));
      b.type = 'button';
      b.addEventListener('click', () => {
        conflicts = conflicts.filter((x) => x.id !== c.id);
        store.set(KEY.conflicts, conflicts);
        renderConflicts();
        refocus();
      });
      li.append(b);
      el.conflictList.append(li);
    }
    el.conflicts.hidden = conflicts.length === 0;
  }

  // ---------------------------------------------------------------- desk name, mode, session
  const deskName = () => el.deskName.value.trim().slice(0, 40);
  let mode = store.get(KEY.mode, 'day') === 'session' ? 'session' : 'day';
  const sessionKey = () => (mode === 'session' ? el.session.value : '');

  function renderSetup() {
    const missing = !deskName();
    el.deskHint.hidden = !missing;
    el.deskName.classList.toggle('needs-attention', missing);
    document.body.dataset.mode = mode;
    el.mode.value = mode;
    el.sessionCtl.hidden = mode !== 'session';
    const s = SESSIONS.find((x) => x.key === sessionKey());
    el.scanSession.textContent = mode === 'session' && s ? s.start + '–' + s.end + ' · ' + s.title : '';
    el.session.classList.toggle('needs-attention', mode === 'session' && !el.session.value);
  }

  /** Whether a scan can be recorded: the desk has a name, and a door its session. */
  function ready() {
    if (!deskName()) {
      renderSetup();
      toast(tr('desk_station_first'));
      el.deskName.focus();
      return false;
    }
    if (mode === 'session' && !el.session.value) {
      toast(tr('desk_need_session'));
      el.session.focus();
      return false;
    }
    return true;
  }

  // ---------------------------------------------------------------- verdicts
  /** Words, tone and details of an answer. */
  function describe(a, offline) {
    const reg = a.registration;
    const v = { tone: 'bad', word: '', name: fullName(reg), detail: '', note: '', facts: [], access: '', override: false };
    const reason = a.reason || '';
    const red = (word, fallback) => Object.assign(v, { word: tr(word), detail: saidBeyond(a.message, tr(word)) || tr(fallback) });
    const said = saidBeyond(a.message, '');
    if (a.result === 'checked_in') {
      v.tone = 'ok';
      v.word = tr('desk_welcome');
    } else if (a.result === 'already' && a.session) {
      v.tone = 'reentry';
      v.word = tr('desk_reentry');
      v.detail = saidBeyond(a.message, v.word) || tr('desk_reentry_detail');
    } else if (a.result === 'already') {
      v.tone = 'warn';
      v.word = tr('desk_already');
      const f = a.first_checkin;
      if (f) {
        const day = f.at && a.day && f.at.slice(0, 10) !== a.day ? dayLabel(f.at.slice(0, 10)) : tr('desk_today');
        v.detail = tr('desk_first_checkin', { day, time: hhmm(f.at), desk: f.desk || '—' }) + (f.by ? ' (' + tr('desk_by', { by: f.by }) + ')' : '');
      } else {
        v.detail = said;
      }
    } else if (reason === 'waitlisted') {
      red('desk_waitlisted', 'desk_waitlisted_detail');
    } else if (a.result === 'invalid' && reason === 'unknown') {
      red('desk_unknown', a.unknownOffline ? 'desk_unknown_offline' : 'desk_unknown_detail');
    } else if (a.result === 'invalid') {
      red('desk_invalid', 'desk_invalid_detail');
    } else if (a.result === 'revoked') {
      red('desk_revoked', 'desk_revoked_detail');
    } else if (a.result === 'cancelled') {
      red('desk_cancelled', 'desk_cancelled_detail');
    } else if (a.result === 'wrong_edition') {
      red('desk_wrong_edition', 'desk_wrong_edition_detail');
    } else if (a.result === 'wrong_day' && reason === 'not_event_day') {
      red('desk_not_event_day', 'desk_not_event_day_detail');
    } else if (a.result === 'wrong_day') {
      v.word = tr('desk_wrong_day');
      const days = (reg && reg.days) || [];
      v.detail = saidBeyond(a.message, v.word) || (days.length ? tr('desk_wrong_day_detail', { days: days.map(dayLabel).join(', ') }) : '');
      v.override = true;
      if (!MAY_OVERRIDE) v.note = tr('desk_ask_organiser');
    } else if (a.result === 'unverified') {
      Object.assign(v, { tone: 'neutral', word: tr('desk_unverified'), detail: tr('desk_unverified_detail') });
    } else {
      Object.assign(v, { word: tr('desk_error'), detail: said });
    }
    if (reg && (v.tone === 'ok' || v.tone === 'reentry')) {
      v.detail = v.tone === 'ok' ? [reg.organisation, reg.category_label].filter(Boolean).join(' · ') : v.detail;
      if (!a.session) v.facts.push({ text: reg.lunch ? tr('desk_lunch_yes') : tr('desk_lunch_no'), strong: !!reg.lunch });
      if (reg.accessibility && String(reg.accessibility).trim()) v.access = String(reg.accessibility).trim();
    } else if (reg && v.tone === 'warn' && reg.organisation) {
      v.facts.push({ text: reg.organisation, strong: false });
    }
    v.offline = offline;
    return v;
  }

  /** The server's sentence, less the title it may repeat ("Badge remplacé : un nouveau…"). */
  function saidBeyond(message, title) {
    const m = String(message || '').trim();
    if (!m || !title) return m;
    const bare = (x) => fold(x).replace(/[\s.!:]+$/, '');
    if (bare(m) === bare(title)) return '';
    const cut = m.search(/\s?:\s/);
    if (cut > 0 && bare(m.slice(0, cut)) === bare(title)) {
      const rest = m.slice(cut).replace(/^\s?:\s*/, '');
      return rest.charAt(0).toUpperCase() + rest.slice(1);
    }
    return m;
  }

  let verdictTimer = 0;
  let verdictLife = 0;
  let verdictScan = null; // the scan the verdict shows: for undo and override

  function hideVerdict() {
    clearTimeout(verdictTimer);
    if (el.verdict.hidden) return;
    el.verdict.hidden = true;
    el.verdict.classList.remove('timing', 'held');
    verdictScan = null;
    refocus();
  }
  function armVerdict(ms) {
    clearTimeout(verdictTimer);
    verdictLife = ms;
    el.verdict.style.setProperty('--life', ms + 'ms');
    el.verdict.classList.remove('timing', 'held');
    void el.verdict.offsetWidth; // restarts the countdown bar
    el.verdict.classList.add('timing');
    verdictTimer = setTimeout(hideVerdict, ms);
  }
  function holdVerdict(on) {
    if (el.verdict.hidden || el.verdict.dataset.tone === 'pending') return;
    if (on) {
      clearTimeout(verdictTimer);
      el.verdict.classList.add('held');
    } else if (el.verdict.classList.contains('held')) {
      el.verdict.classList.remove('held');
      verdictTimer = setTimeout(hideVerdict, Math.max(1500, verdictLife / 2));
    }
  }

  function showPending() {
    clearTimeout(verdictTimer);
    el.verdict.dataset.tone = 'pending';
    el.verdict.dataset.result = 'pending';
    delete el.verdict.dataset.offline;
    el.vWord.textContent = tr('desk_checking');
    el.vName.textContent = '';
    el.vDetail.textContent = '';
    el.vNote.textContent = '';
    el.vFacts.textContent = '';
    el.vAccess.hidden = true;
    el.vOffline.hidden = true;
    el.undo.hidden = true;
    el.override.hidden = true;
    el.verdict.classList.remove('timing', 'held');
    el.verdict.hidden = false;
  }

  function showVerdict(answer, scan) {
    const v = describe(answer, scan.offline);
    el.verdict.dataset.result = answer.result;
    el.verdict.dataset.reason = answer.reason || '';
    el.verdict.dataset.tone = v.tone;
    if (scan.offline) el.verdict.dataset.offline = 'true';
    else delete el.verdict.dataset.offline;
    el.vWord.textContent = v.word;
    el.vName.textContent = v.name;
    el.vDetail.textContent = v.detail;
    el.vNote.textContent = v.note || '';
    el.vFacts.textContent = '';
    for (const f of v.facts) el.vFacts.append(make('li', f.strong ? 'strong' : '', f.text));
    el.vAccess.hidden = !v.access;
    el.vAccess.querySelector('span').textContent = v.access;
    el.vOffline.hidden = !scan.offline;
    // A refusal decided offline is not queued: only a welcome is sent later.
    el.vOffline.textContent = tr(scan.queuedNonce ? 'desk_offline_mark' : 'desk_offline_kept');
    el.undo.hidden = !(answer.result === 'checked_in' && (answer.checkin_id || scan.queuedNonce));
    el.override.hidden = !(v.override && MAY_OVERRIDE && answer.reason === 'not_registered_day' && (scan.req.token || scan.req.registration));
    verdictScan = scan;
    el.verdict.hidden = false;
    if (navigator.vibrate && v.tone === 'bad') navigator.vibrate([120, 80, 120]);
    armVerdict(LIFE[v.tone] || 4000);
  }

  // ---------------------------------------------------------------- history
  const history = [];
  function addHistory(answer, scan) {
    const v = describe(answer, scan.offline);
    history.unshift({ answer, scan, v, at: nowHHMM(), undone: false });
    history.length = Math.min(history.length, 12);
    renderHistory();
  }
  /** A scan decided offline now has the server's answer: the list shows that one. */
  function settleHistory(nonce, answer) {
    const h = history.find((x) => x.scan.req.nonce === nonce);
    if (!h) return;
    h.answer = answer;
    h.v = describe(answer, true);
    h.scan.queuedNonce = null;
    renderHistory();
  }
  const ICON = { ok: '✓', reentry: '↻', warn: '!', bad: '✕', neutral: '?' };
  function renderHistory() {
    el.history.textContent = '';
    if (!history.length) {
      el.history.append(make('li', 'muted empty', tr('desk_recent_empty')));
      return;
    }
    for (const h of history) {
      const li = make('li', h.v.tone + (h.undone ? ' undone' : ''));
      li.append(make('time', '', h.at));
      const icon = make('span', 'tone', ICON[h.v.tone] || '·');
      icon.setAttribute('aria-hidden', 'true');
      li.append(icon);
      const what = make('div', 'what');
      what.append(make('strong', '', h.v.name || h.v.word));
      const sub = make('span', '', h.undone ? tr('desk_undone') : (h.v.name ? h.v.word : h.v.detail));
      if (h.scan.offline) sub.append(make('span', 'offline-tag', tr('desk_offline')));
      what.append(sub);
      li.append(what);
      if (!h.undone && h.answer.result === 'checked_in' && (h.answer.checkin_id || h.scan.queuedNonce)) {
        const b = make('button', 'secondary', tr('desk_undo'));
        b.type = 'button';
        b.addEventListener('click', () => undo(h));
        li.append(b);
      }
      el.history.append(li);
    }
  }

  // ---------------------------------------------------------------- scanning
  let lastCode = '';
  let lastCodeAt = 0;
  let scanSeq = 0;

  function onScan(raw) {
    const token = normaliseToken(raw);
    if (!token || !ready()) return;
    const now = Date.now();
    if (token.toUpperCase() === lastCode && now - lastCodeAt < SAME_CODE_MS) return;
    lastCode = token.toUpperCase();
    lastCodeAt = now;
    checkIn({ token });
  }

  /** One check-in, by badge token or by registration id: online when possible, else decided
      here and queued. */
  async function checkIn(what, options) {
    if (!ready()) return;
    const opts = options || {};
    const seq = ++scanSeq;
    hideVerdict();
    const req = Object.assign({}, what, { nonce: newNonce(), desk: deskName(), edition: SLUG });
    if (sessionKey()) req.session = sessionKey();
    if (opts.override) req.override = true;
    const scan = { req, offline: false, queuedNonce: null, name: opts.name || '' };
    const pending = setTimeout(() => { if (seq === scanSeq) showPending(); }, 250);
    let answer = null;
    // While the server looks unreachable, decide at once rather than wait for each timeout;
    // a knock every few seconds notices when it is back.
    if (online() && reachable) {
      const r = await api('POST', '/api/v1/checkins', req, SCAN_TIMEOUT);
      if (r.ok && r.data && r.data.result) {
        answer = r.data;
      } else if (!r.network && r.status >= 400 && r.status < 500 && r.status !== 401 && r.status !== 403 && r.status !== 408 && r.status !== 429) {
        answer = { result: 'error', reason: '', message: errorMessage(r), registration: null };
      }
    }
    clearTimeout(pending);
    if (answer) {
      learn(answer, req);
    } else {
      scan.offline = true;
      answer = decideOffline(req);
      if (answer.letIn) {
        // Sent later with the time it happened; the same nonce makes a retry harmless.
        const body = Object.assign({}, req, { scanned_at: rfc3339() });
        queue.push({ body, local: answer.local || null, name: fullName(answer.registration) });
        scan.queuedNonce = req.nonce;
        scan.local = answer.local || null;
        saveQueue();
      }
    }
    addHistory(answer, scan);
    if (seq === scanSeq) showVerdict(answer, scan);
    if (el.search.value.trim()) runSearch();
    return answer;
  }

  async function undo(h) {
    const { answer, scan } = h;
    if (h.undone) return;
    if (scan.queuedNonce) {
      const before = queue.length;
      queue = queue.filter((q) => q.body.nonce !== scan.queuedNonce);
      if (queue.length !== before) {
        saveQueue();
        if (scan.local) unmarkLocal(scan.local.id, scan.local.day);
        saveRoster();
        return undone(h);
      }
    }
    if (!answer.checkin_id) return toast(tr('desk_needs_connection'));
    const r = await api('POST', '/api/v1/checkins/' + encodeURIComponent(answer.checkin_id) + '/undo', { desk: deskName() }, 8000);
    if (r.ok) {
      const id = answer.registration && answer.registration.id;
      if (id) unmarkLocal(id, answer.day || today());
      saveRoster();
      return undone(h);
    }
    toast(r.network ? tr('desk_no_answer') : (errorMessage(r) || tr('desk_error')));
  }
  function undone(h) {
    h.undone = true;
    renderHistory();
    if (verdictScan === h.scan) hideVerdict();
    toast(tr('desk_undone') + (h.v.name ? ' — ' + h.v.name : ''));
    refocus();
  }

  // ---------------------------------------------------------------- focus
  // A handheld scanner types wherever the focus is: keep it on the scan field, unless the
  // volunteer is typing somewhere else.
  function refocus() {
    const a = document.activeElement;
    if (!el.camera.hidden) return;
    if (a && a !== document.body && a !== el.scan && isField(a)) return;
    if (a && el.verdict.contains(a) && !el.verdict.hidden) return;
    el.scan.focus({ preventScroll: true });
  }
  el.scan.addEventListener('blur', () => setTimeout(() => {
    const a = document.activeElement;
    if (!a || a === document.body || a === document.documentElement) refocus();
  }, 0));
  // Keys typed while nothing takes text (after a click on a button, or on the verdict) go
  // to the scan field, so a scanner never loses characters.
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      if (!el.camera.hidden) return closeCamera();
      if (!el.verdict.hidden) return hideVerdict();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey || e.key.length !== 1 || e.key === ' ') return;
    if (!el.camera.hidden || isField(document.activeElement)) return;
    el.scan.focus({ preventScroll: true });
  }, true);

  el.scanForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const value = el.scan.value;
    el.scan.value = '';
    onScan(value);
  });

  el.verdict.addEventListener('click', (e) => {
    if (e.target.closest('button')) return;
    hideVerdict();
  });
  const actions = el.verdict.querySelector('.verdict-actions');
  actions.addEventListener('pointerenter', () => holdVerdict(true));
  actions.addEventListener('pointerleave', () => holdVerdict(false));
  actions.addEventListener('focusin', () => holdVerdict(true));
  actions.addEventListener('focusout', () => holdVerdict(false));
  el.undo.addEventListener('click', () => {
    const h = history.find((x) => x.scan === verdictScan);
    if (h) undo(h);
  });
  el.override.addEventListener('click', () => {
    if (!verdictScan) return;
    const { token, registration } = verdictScan.req;
    checkIn(token ? { token } : { registration }, { override: true, name: verdictScan.name });
  });

  // ---------------------------------------------------------------- setup controls
  el.deskName.value = store.get(KEY.desk, '') || '';
  el.deskName.addEventListener('input', () => {
    store.set(KEY.desk, deskName());
    renderSetup();
  });
  el.deskName.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    // A badge scanned before the desk had a name lands here: it is not a name.
    if (/^rc[1&]/i.test(el.deskName.value.trim()) && el.deskName.value.trim().length > 20) {
      el.deskName.value = '';
      store.set(KEY.desk, '');
      renderSetup();
      return;
    }
    if (deskName()) el.scan.focus();
  });
  el.mode.addEventListener('change', () => {
    mode = el.mode.value === 'session' ? 'session' : 'day';
    store.set(KEY.mode, mode);
    renderSetup();
    if (mode === 'session' && !el.session.value) el.session.focus();
  });
  el.session.value = store.get(KEY.session, '') || '';
  el.session.addEventListener('change', () => {
    store.set(KEY.session, el.session.value);
    renderSetup();
    if (el.session.value) el.scan.focus();
  });
  el.queue.addEventListener('click', () => { flush(); refocus(); });

  // ---------------------------------------------------------------- search
  let searchSeq = 0;
  let searchTimer = 0;
  el.search.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(runSearch, 150);
  });
  el.search.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      clearTimeout(searchTimer);
      runSearch();
    }
  });

  function localSearch(q) {
    const words = fold(q).split(/\s+/).filter(Boolean);
    if (!words.length || !roster || !roster.people) return [];
    const out = [];
    for (const p of roster.people) {
      const hay = fold([p.first_name, p.last_name, p.organisation].join(' '));
      if (words.every((w) => hay.includes(w))) out.push(p);
    }
    out.sort((a, b) => fold(a.last_name).localeCompare(fold(b.last_name)) || fold(a.first_name).localeCompare(fold(b.first_name)));
    return out.slice(0, 20);
  }

  async function runSearch() {
    const q = el.search.value.trim();
    const seq = ++searchSeq;
    if (!q) {
      el.results.textContent = '';
      el.searchNote.hidden = true;
      return;
    }
    let results = null;
    if (online() && reachable) {
      const r = await api('GET', '/api/v1/desk/' + encodeURIComponent(SLUG) + '/search?q=' + encodeURIComponent(q), undefined, SCAN_TIMEOUT);
      if (r.ok && r.data && Array.isArray(r.data.results)) results = r.data.results;
    }
    const offline = !results;
    if (offline) results = localSearch(q);
    if (seq !== searchSeq) return;
    renderResults(results, offline);
  }

  function renderResults(results, offline) {
    el.searchNote.hidden = !offline;
    el.searchNote.textContent = offline ? tr('desk_search_offline') : '';
    el.results.textContent = '';
    if (!results.length) {
      el.results.append(make('li', 'none', tr('desk_search_none')));
      return;
    }
    const day = today();
    for (const p of results) {
      const li = make('li');
      li.append(make('div', 'who', fullName(p)));
      if (p.organisation) li.append(make('div', 'org', p.organisation));
      const chips = make('div', 'chips');
      if (p.category_label) chips.append(make('span', 'pill', p.category_label));
      if (p.status) chips.append(make('span', 'pill status-' + p.status, tr('status_' + p.status)));
      const local = byId.get(p.id);
      const first = (p.checked_in && p.checked_in[day]) || (local && local.checked_in && local.checked_in[day]);
      if (first) chips.append(make('span', 'pill here', tr('desk_checked_in_at', { time: hhmm(first.at) })));
      li.append(chips);
      const buttons = make('div', 'buttons');
      const go = make('button', '', tr('desk_check_in'));
      go.type = 'button';
      go.addEventListener('click', () => checkIn({ registration: p.id }, { name: fullName(p) }));
      const reprintButton = make('button', 'secondary', tr('desk_reprint'));
      reprintButton.type = 'button';
      reprintButton.addEventListener('click', () => reprint(p, reprintButton));
      buttons.append(go, reprintButton);
      li.append(buttons);
      el.results.append(li);
    }
  }

  // ---------------------------------------------------------------- badges
  async function reprint(p, button) {
    if (!online()) return toast(tr('desk_needs_connection'));
    if (!deskName()) return ready();
    // Two steps: printing a new badge turns the old one off.
    if (!button.classList.contains('confirming')) {
      button.classList.add('confirming');
      button.textContent = tr('desk_reprint_confirm');
      setTimeout(() => {
        button.classList.remove('confirming');
        button.textContent = tr('desk_reprint');
      }, 5000);
      return;
    }
    button.classList.remove('confirming');
    button.textContent = tr('desk_reprint');
    button.disabled = true;
    const path = '/api/v1/desk/' + encodeURIComponent(SLUG) + '/registrations/' + encodeURIComponent(p.id) + '/reprint';
    const r = await api('POST', path, { desk: deskName() }, 15000);
    button.disabled = false;
    if (r.ok && r.data && r.data.badge_url) {
      printBadge(r.data.badge_url);
      refreshRoster();
    } else {
      toast(r.network ? tr('desk_no_answer') : (errorMessage(r) || tr('desk_error')));
    }
  }

  /** Prints a badge from a hidden frame; the link is there when the browser will not. */
  function printBadge(url, message) {
    toast(message || tr('desk_printing'), { href: url, text: tr('desk_badge_link') });
    // Browsers driven by a script have no one at a printer (and headless ones may crash on
    // printing a PDF frame): the link is enough there.
    if (navigator.webdriver) return;
    const frame = el.printFrame;
    frame.onload = () => {
      try {
        frame.contentWindow.focus();
        frame.contentWindow.print();
      } catch (_) { /* the toast's link remains */ }
      setTimeout(refocus, 500);
    };
    frame.src = url;
  }

  // ---------------------------------------------------------------- walk-ins
  let walkinNonce = '';
  el.walkin.addEventListener('input', () => { walkinNonce = ''; });

  function clearWalkinErrors() {
    el.walkinProblem.hidden = true;
    for (const node of el.walkin.querySelectorAll('.field-error')) {
      node.hidden = true;
      node.textContent = '';
    }
    for (const node of el.walkin.querySelectorAll('[aria-invalid]')) {
      node.removeAttribute('aria-invalid');
      const ids = (node.getAttribute('aria-describedby') || '').split(' ').filter((x) => x && !x.startsWith('err-'));
      if (ids.length) node.setAttribute('aria-describedby', ids.join(' '));
      else node.removeAttribute('aria-describedby');
    }
  }
  function walkinProblem(text) {
    el.walkinProblem.textContent = text;
    el.walkinProblem.hidden = !text;
  }
  /** The ISO code of the country typed, when it is one of the list's names or a code. */
  function countryCode(value) {
    const v = fold(value.trim());
    if (/^[a-z]{2}$/.test(v)) return v.toUpperCase();
    for (const o of document.querySelectorAll('#desk-countries option')) {
      if (fold(o.value) === v) return o.dataset.code;
    }
    return value.trim();
  }

  el.walkin.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearWalkinErrors();
    if (!online()) return walkinProblem(tr('desk_needs_connection'));
    if (!deskName()) return ready();
    const f = el.walkin.elements;
    const body = {
      first_name: f.first_name.value.trim(), last_name: f.last_name.value.trim(),
      organisation: f.organisation.value.trim(), organisation_type: f.organisation_type.value,
      function: f.function.value, country: countryCode(f.country.value), lunch: f.lunch.checked,
      desk: deskName(), lang: LANG,
    };
    if (f.civility.value) body.civility = f.civility.value;
    if (f.email.value.trim()) body.email = f.email.value.trim();
    if (f.accessibility.value.trim()) body.accessibility = f.accessibility.value.trim();
    if (f.override && f.override.checked) body.override = true;
    walkinNonce = walkinNonce || newNonce();
    body.nonce = walkinNonce;
    el.walkinSubmit.disabled = true;
    const r = await api('POST', '/api/v1/desk/' + encodeURIComponent(SLUG) + '/walk-ins', body, 15000);
    el.walkinSubmit.disabled = false;
    if (r.ok && r.data) {
      walkinNonce = '';
      const answer = r.data.checkin || { result: 'checked_in', registration: r.data.registration, day: today() };
      if (!answer.registration) answer.registration = r.data.registration;
      const scan = { req: { registration: answer.registration && answer.registration.id }, offline: false, queuedNonce: null };
      learn(answer, body);
      addHistory(answer, scan);
      showVerdict(answer, scan);
      el.walkin.reset();
      if (r.data.badge_url) printBadge(r.data.badge_url, tr('desk_walkin_done', { name: fullName(answer.registration) }));
      refreshRoster();
      return;
    }
    if (r.network) return walkinProblem(tr('desk_no_answer'));
    const err = problem(r);
    if (r.status === 409 && err.code === 'edition_full') {
      return walkinProblem(tr('desk_edition_full') + (MAY_OVERRIDE ? ' ' + tr('desk_edition_full_organiser') : ''));
    }
    if (err.fields.length) {
      let first = null;
      const elsewhere = [];
      for (const x of err.fields) {
        const name = String(x.field || '').split('.').pop();
        const input = $('w-' + name);
        const slot = $('err-w-' + name);
        if (input && slot) {
          slot.textContent = x.message || x.code || '';
          slot.hidden = false;
          input.setAttribute('aria-invalid', 'true');
          input.setAttribute('aria-describedby', [input.getAttribute('aria-describedby'), slot.id].filter(Boolean).join(' '));
          first = first || input;
        } else {
          elsewhere.push(x.message || x.field);
        }
      }
      walkinProblem([tr('desk_check_fields')].concat(elsewhere).join(' '));
      if (first) first.focus();
      return;
    }
    walkinProblem(errorMessage(r) || tr('desk_error'));
  });

  // ---------------------------------------------------------------- camera
  let stream = null;
  let detector = null;
  let cameraLoop = 0;
  let canvas = null;
  const CAMERA_HINT = el.cameraStatus.textContent;

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      if (document.querySelector('script[src="' + src + '"]')) return resolve();
      const s = document.createElement('script');
      s.src = src;
      s.onload = () => resolve();
      s.onerror = reject;
      document.head.append(s);
    });
  }

  async function openCamera() {
    el.camera.hidden = false;
    el.cameraStatus.textContent = tr('desk_checking');
    el.cameraClose.focus();
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      el.cameraStatus.textContent = tr('desk_camera_denied');
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false });
    } catch (_) {
      el.cameraStatus.textContent = tr('desk_camera_denied');
      return;
    }
    if (el.camera.hidden) return stopStream();
    el.video.srcObject = stream;
    try { await el.video.play(); } catch (_) { /* autoplay of a muted video is allowed */ }
    if (!detector && 'BarcodeDetector' in window) {
      try {
        const formats = await window.BarcodeDetector.getSupportedFormats();
        if (formats.includes('qr_code')) detector = new window.BarcodeDetector({ formats: ['qr_code'] });
      } catch (_) { detector = null; }
    }
    if (!detector && !window.jsQR) {
      try { await loadScript('/static/vendor/jsqr.js'); } catch (_) { /* reported below */ }
    }
    el.cameraStatus.textContent = CAMERA_HINT;
    tick();
  }

  async function readFrame() {
    const v = el.video;
    if (!v.videoWidth) return null;
    if (detector) {
      const codes = await detector.detect(v);
      return codes.length ? codes[0].rawValue : null;
    }
    if (!window.jsQR) return null;
    const scale = Math.min(1, 640 / v.videoWidth);
    const w = Math.round(v.videoWidth * scale);
    const h = Math.round(v.videoHeight * scale);
    canvas = canvas || document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(v, 0, 0, w, h);
    const code = window.jsQR(ctx.getImageData(0, 0, w, h).data, w, h, { inversionAttempts: 'dontInvert' });
    return code ? code.data : null;
  }

  function tick() {
    cameraLoop = setTimeout(async () => {
      if (!stream) return;
      let code = null;
      try { code = await readFrame(); } catch (_) { code = null; }
      if (code && stream) {
        closeCamera();
        onScan(code);
        return;
      }
      tick();
    }, 120);
  }

  function stopStream() {
    clearTimeout(cameraLoop);
    if (stream) for (const t of stream.getTracks()) t.stop();
    stream = null;
    el.video.srcObject = null;
  }
  function closeCamera() {
    stopStream();
    el.camera.hidden = true;
    el.cameraOpen.focus();
    refocus();
  }
  el.cameraOpen.addEventListener('click', openCamera);
  el.cameraClose.addEventListener('click', closeCamera);
  el.camera.addEventListener('click', (e) => { if (e.target === el.camera) closeCamera(); });

  // ---------------------------------------------------------------- start
  indexRoster();
  renderNet();
  renderRoster();
  renderQueue();
  renderConflicts();
  renderSetup();
  // On touch screens the scan field takes a hardware scanner only: no on-screen keyboard.
  if (window.matchMedia && matchMedia('(pointer: coarse)').matches && !matchMedia('(any-pointer: fine)').matches) {
    el.scan.setAttribute('inputmode', 'none');
  }
  if (!deskName()) el.deskName.focus();
  else el.scan.focus({ preventScroll: true });

  window.addEventListener('online', () => { reachable = true; renderNet(); refreshRoster(); flush(); });
  window.addEventListener('offline', renderNet);
  setInterval(refreshRoster, ROSTER_EVERY);
  setInterval(async () => {
    if (!navigator.onLine) return;
    // Knocks while the server looked unreachable or the login expired, so the desk notices
    // when it is back (an empty search is the cheapest question).
    if (expired || (!reachable && !queue.length)) {
      const r = await api('GET', '/api/v1/desk/' + encodeURIComponent(SLUG) + '/search?q=', undefined, SCAN_TIMEOUT);
      if (r.ok) refreshRoster();
    }
    flush();
  }, RETRY_EVERY);
  refreshRoster().then(flush);

  // ---------------------------------------------------------------- offline reload, logout
  // The worker keeps a copy of this page so that a reload without network still opens it.
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/desk/sw.js', { scope: '/desk/' })
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => {
        const urls = [location.href].concat(Array.from(
          document.querySelectorAll('script[src], link[rel="stylesheet"]'), (e) => e.src || e.href));
        if (registration.active) registration.active.postMessage({ keep: urls });
      })
      .catch(() => {});
  }
  // Logging out leaves no list of people on this browser: the rosters, the session entries
  // and the conflicts go, with the worker's copies. Scans not yet sent stay queued: the
  // next desk to log in here sends them.
  const logout = document.querySelector('form[action="/logout"]');
  if (logout) {
    logout.addEventListener('submit', async (e) => {
      if (logout.dataset.forgotten === 'true') return;
      e.preventDefault();
      // Every edition's lists: the keys of this one without its slug.
      const lists = [KEY.roster, KEY.entries, KEY.conflicts].map((k) => k.slice(0, k.length - SLUG.length));
      for (const key of Object.keys(localStorage)) {
        if (lists.some((prefix) => key.startsWith(prefix))) localStorage.removeItem(key);
      }
      try {
        if (window.caches) await Promise.all((await caches.keys()).map((name) => caches.delete(name)));
      } catch (_) { /* no cache to forget */ }
      logout.dataset.forgotten = 'true';
      logout.submit();
    });
  }
})();
