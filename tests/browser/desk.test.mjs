// The welcome desk page in headless Chromium, against a running server prepared by
// scripts/test-browser (see setup.mjs for who is registered).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(name + ' is not set: run scripts/test-browser');
  return v;
};
const BASE = env('BASE_URL');
const SLUG = env('EDITION');
const ORGANISER = env('ORGANISER_TOKEN');
const FIXTURE = JSON.parse(readFileSync(env('DESK_FIXTURE'), 'utf8'));
const SHOTS = process.env.SCREENSHOT_DIR || '.';
mkdirSync(SHOTS, { recursive: true });
const P = FIXTURE.people;
const TODAY = FIXTURE.today;
const DESK = 'Accueil 1';

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});
after(async () => { await browser?.close(); });

// ------------------------------------------------------------------ helpers
async function api(method, path, body) {
  const res = await fetch(BASE + path, {
    method,
    headers: { Authorization: 'Bearer ' + ORGANISER, Accept: 'application/json', 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
  return res.json();
}
const roster = async () => api('GET', `/api/v1/desk/${SLUG}/roster`);
const personIn = (r, id) => r.people.find((p) => p.id === id);

/** "HH:MM" in Paris, `minutesAgo` minutes ago. */
const parisHHMM = (minutesAgo = 0) => new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
}).format(new Date(Date.now() - minutesAgo * 60000));

/** One letter changed in the signature part: still well-formed, no longer genuine. */
function forge(token) {
  const i = token.length - 20;
  return token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
}

/** What a scanner set to a US keyboard types on a French (AZERTY) one: digits come out as
    &é"'(-è, A and Q swap, Z and W swap, and a capital M is a question mark. */
const AZERTY = { 1: '&', 2: 'é', 3: '"', 4: "'", 5: '(', 6: '-', 7: 'è', A: 'Q', Q: 'A', Z: 'W', W: 'Z', M: '?' };
const azerty = (token) => Array.from(token, (c) => AZERTY[c] || c).join('');

async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `desk-test-${name}.png`) });
}

/** A fresh browser profile, logged in as the desk account, on the edition's desk page with
    its name set and the local list downloaded. */
async function openDesk(t, { viewport = { width: 1280, height: 800 }, clockBehindMs = 0 } = {}) {
  const context = await browser.newContext({ viewport, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  t.after(() => context.close());
  if (clockBehindMs) await context.clock.install({ time: Date.now() - clockBehindMs });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  t.after(() => assert.deepEqual(problems, [], 'no script error on the page'));

  await page.goto(BASE + '/login');
  await page.fill('#email', env('DESK_EMAIL'));
  await page.fill('#password', env('DESK_PASSWORD'));
  await Promise.all([page.waitForURL((u) => u.pathname !== '/login'), page.click('form.panel button[type=submit]')]);
  assert.equal(new URL(page.url()).pathname, '/desk', 'a desk account lands on the desk');
  await page.click(`a[href="/desk/${SLUG}"]`);
  await page.waitForURL((u) => u.pathname === `/desk/${SLUG}`);

  // A new desk asks for its name first, and has the cursor there.
  assert.ok(await page.locator('#desk-name-hint').isVisible(), 'the page asks for the desk name');
  assert.equal(await focused(page), 'desk-name');
  await page.keyboard.type(DESK);
  await page.keyboard.press('Enter');
  assert.equal(await focused(page), 'scan', 'Enter in the name goes to the scan field');
  assert.ok(await page.locator('#desk-name-hint').isHidden());
  await page.locator('#roster-info').filter({ hasText: /\d+ personnes/ }).waitFor({ timeout: 10000 });
  return { context, page };
}

const focused = (page) => page.evaluate(() => document.activeElement && document.activeElement.id);

/** A handheld scanner: the code typed key by key wherever the focus is, then Enter. */
async function scanBadge(page, token) {
  await page.keyboard.type(token);
  await page.keyboard.press('Enter');
}

/** Waits for the verdict overlay to show `result` (for `name`, when given); returns what it says. */
async function verdict(page, result, name) {
  await page.waitForFunction(([result, name]) => {
    const v = document.getElementById('verdict');
    return !v.hidden && v.dataset.result === result &&
      (name === null || document.getElementById('verdict-name').textContent === name);
  }, [result, name ?? null], { timeout: 8000 });
  assert.ok(await page.locator('#verdict').isVisible(), 'the verdict covers the screen');
  return page.evaluate(() => {
    const v = document.getElementById('verdict');
    const text = (id) => document.getElementById(id).textContent.trim();
    return {
      result: v.dataset.result, reason: v.dataset.reason, tone: v.dataset.tone, offline: v.dataset.offline === 'true',
      word: text('verdict-word'), name: text('verdict-name'), detail: text('verdict-detail'),
      facts: Array.from(document.querySelectorAll('#verdict-facts li'), (li) => li.textContent.trim()),
      access: document.getElementById('verdict-access').hidden ? '' : text('verdict-access'),
    };
  });
}

const queueCount = (page) => page.locator('#queue-count').getAttribute('data-count');

// ------------------------------------------------------------------ tests
test("a scanner's keystrokes give green, orange and red verdicts", async (t) => {
  const { page } = await openDesk(t);

  const firstScanAt = Date.now();
  await scanBadge(page, P.aminata.token);
  const green = await verdict(page, 'checked_in', P.aminata.name);
  assert.equal(green.tone, 'ok');
  assert.equal(green.offline, false);
  assert.match(green.detail, /Ville de Dakar/);
  assert.ok(green.facts.includes('Déjeuner : oui'), `lunch shown: ${green.facts}`);
  await shot(page, 'green');

  // The verdict goes away by itself and the next badge can be scanned at once.
  await page.locator('#verdict').waitFor({ state: 'hidden', timeout: 5000 });
  assert.equal(await focused(page), 'scan', 'focus is back on the scan field');

  // The same code read twice within a few seconds is one scan; a volunteer scanning it again later is a second.
  await page.waitForTimeout(Math.max(0, 3300 - (Date.now() - firstScanAt)));
  await scanBadge(page, P.aminata.token);
  const orange = await verdict(page, 'already', P.aminata.name);
  assert.equal(orange.tone, 'warn');
  const m = orange.detail.match(/(\d\d:\d\d)/);
  assert.ok(m, `a time in "${orange.detail}"`);
  assert.ok([parisHHMM(0), parisHHMM(1)].includes(m[1]), `${m[1]} is the Paris time of the first check-in`);
  assert.ok(orange.detail.includes(DESK), `the desk in "${orange.detail}"`);
  await shot(page, 'orange');

  // Typed over the orange verdict, without a click.
  await scanBadge(page, forge(P.aminata.token));
  const red = await verdict(page, 'invalid', null);
  assert.equal(red.tone, 'bad');
  assert.equal(red.reason, 'forged');
  assert.equal(red.name, '');
  await shot(page, 'red');

  await scanBadge(page, P.paul.token);
  const cancelled = await verdict(page, 'cancelled', P.paul.name);
  assert.equal(cancelled.tone, 'bad');

  await scanBadge(page, P.yuki.token);
  const revoked = await verdict(page, 'revoked', P.yuki.name);
  assert.equal(revoked.tone, 'bad');

  // Registered for tomorrow only: a desk account is told to ask an organiser, with no button to let them in.
  await scanBadge(page, P.omar.token);
  const otherDay = await verdict(page, 'wrong_day', P.omar.name);
  assert.equal(otherDay.reason, 'not_registered_day');
  assert.ok(await page.locator('#override').isHidden(), 'only organisers may welcome them anyway');
  assert.match(await page.locator('#verdict-note').textContent(), /organisateur/);

  // A phone held upright.
  await page.setViewportSize({ width: 390, height: 844 });
  await scanBadge(page, P.ana.token.toLowerCase());
  const phone = await verdict(page, 'checked_in', P.ana.name);
  assert.match(phone.access, /Fauteuil roulant/);
  await shot(page, 'green-mobile');

  const r = await roster();
  assert.equal(personIn(r, P.aminata.id).checked_in[TODAY]?.desk, DESK);
  assert.equal(personIn(r, P.ana.id).checked_in[TODAY]?.desk, DESK);
  assert.equal(personIn(r, P.paul.id).checked_in[TODAY], undefined, 'a cancelled registration is not checked in');
  assert.equal(personIn(r, P.yuki.id).checked_in[TODAY], undefined, 'a replaced badge checks nobody in');
});

test('offline scans are decided locally, queued, then sent; a late duplicate is a conflict', async (t) => {
  // Scans sent more than 30 s after they were made count as late: the page's clock runs 45 s
  // behind the server's, as if the connection had been down that long.
  const { context, page } = await openDesk(t, { clockBehindMs: 45000 });
  const before = await roster();
  for (const k of ['kofi', 'sofia', 'marta']) assert.equal(personIn(before, P[k].id).checked_in[TODAY], undefined);

  await context.setOffline(true);
  await page.locator('#net-status[data-state="offline"]').waitFor({ timeout: 5000 });

  await scanBadge(page, P.kofi.token);
  const first = await verdict(page, 'checked_in', P.kofi.name);
  assert.equal(first.offline, true, 'marked as decided offline');
  assert.equal(first.tone, 'ok');
  assert.ok(await page.locator('#verdict-offline').isVisible());
  await scanBadge(page, P.sofia.token);
  assert.equal((await verdict(page, 'checked_in', P.sofia.name)).offline, true);
  assert.equal(await queueCount(page), '2');
  assert.match(await page.locator('#queue-count').textContent(), /\b2\b/);
  await shot(page, 'offline');

  // The signature is checked in the page.
  await scanBadge(page, forge(P.sofia.token));
  const red = await verdict(page, 'invalid', null);
  assert.equal(red.reason, 'forged');
  assert.equal(red.offline, true);
  // A cancelled registration and a replaced badge are told apart from the local list too.
  // The roster keeps a cancelled person's badge reference only, not their name.
  await scanBadge(page, P.paul.token);
  assert.equal((await verdict(page, 'cancelled', null)).offline, true);
  await scanBadge(page, P.yuki.token);
  assert.equal((await verdict(page, 'revoked', P.yuki.name)).offline, true);
  assert.equal(await queueCount(page), '2', 'refused badges are not queued');

  // Meanwhile another desk, online, welcomes Marta; this one does not know yet.
  const other = await api('POST', '/api/v1/checkins', {
    token: P.marta.token, nonce: 'other-desk-' + Date.now(), desk: 'Accueil 2', edition: SLUG,
  });
  assert.equal(other.result, 'checked_in');
  await scanBadge(page, P.marta.token);
  assert.equal((await verdict(page, 'checked_in', P.marta.name)).offline, true);
  assert.equal(await queueCount(page), '3');

  await context.setOffline(false);
  await page.locator('#queue-count[data-count="0"]').waitFor({ timeout: 10000 });

  const r = await roster();
  const now = Date.now();
  for (const k of ['kofi', 'sofia']) {
    const c = personIn(r, P[k].id).checked_in[TODAY];
    assert.equal(c?.desk, DESK, `${k} checked in at this desk`);
    const lag = now - Date.parse(c.at);
    assert.ok(lag > 30000 && lag < 120000, `${k} recorded at the time of the scan (${c.at})`);
  }
  assert.equal(personIn(r, P.marta.id).checked_in[TODAY]?.desk, 'Accueil 2', 'the first check-in stays');

  const conflicts = page.locator('#conflicts');
  await conflicts.waitFor({ state: 'visible', timeout: 5000 });
  const text = await page.locator('#conflict-list').textContent();
  assert.ok(text.includes(P.marta.name), `Marta in "${text}"`);
  assert.ok(text.includes('Accueil 2'), `the other desk in "${text}"`);
  const listed = await api('GET', `/api/v1/desk/${SLUG}/conflicts`);
  assert.ok(listed.conflicts.some((c) => c.desk === DESK && c.first_checkin?.desk === 'Accueil 2'),
    JSON.stringify(listed));
  await page.locator('#verdict').waitFor({ state: 'hidden', timeout: 5000 });
  await shot(page, 'conflict');
});

test('a person without a badge is found by name without accents; a scan right after still lands', async (t) => {
  const { page } = await openDesk(t);
  await page.click('#search');
  await page.keyboard.type('lefevre');
  const row = page.locator('#search-results li').filter({ hasText: P.helene.name });
  await row.waitFor({ timeout: 5000 });
  assert.equal(await page.locator('#search-results li').count(), 1, 'only Hélène matches');
  assert.match(await row.textContent(), /Région Bretagne/);
  await shot(page, 'search-results');
  await row.getByRole('button', { name: "Enregistrer l'arrivée" }).click();
  const green = await verdict(page, 'checked_in', P.helene.name);
  assert.equal(green.offline, false);
  assert.notEqual(await focused(page), 'scan', 'the click left the focus off the scan field');
  await shot(page, 'search');

  // The list now says she is here.
  await row.locator('.here').waitFor({ timeout: 5000 });

  // No click back into the scan field: a badge scanned now still gets in, even from a
  // scanner that types for another keyboard layout.
  const typed = azerty(P.nadia.token);
  assert.ok(typed.startsWith('RC&'), typed);
  await scanBadge(page, typed);
  await verdict(page, 'checked_in', P.nadia.name);

  const r = await roster();
  assert.equal(personIn(r, P.helene.id).checked_in[TODAY]?.desk, DESK);
  assert.equal(personIn(r, P.nadia.id).checked_in[TODAY]?.desk, DESK);
});

test('a page reloaded without network opens from its copy; logging out forgets the lists', async (t) => {
  const { context, page } = await openDesk(t);
  const here = page.url();
  // The worker keeps a copy of the page once it is ready.
  await page.waitForFunction(async (url) => !!(window.caches && await caches.match(url)), here, { timeout: 10000 });

  await context.setOffline(true);
  // The network is cut for the worker too: a script it never kept cannot be fetched.
  const reached = await page.evaluate(() => fetch('/static/app.css?never-kept=' + Date.now()).then(() => true, () => false));
  assert.equal(reached, false, 'the worker is offline');
  await page.reload();
  await page.locator('#scan').waitFor({ timeout: 5000 });
  await page.locator('#net-status[data-state="offline"]').waitFor({ timeout: 5000 });
  await page.locator('#roster-info').filter({ hasText: /\d+ personnes/ }).waitFor({ timeout: 5000 });

  // The reloaded page decides from its local list and queues.
  await page.click('#scan');
  await scanBadge(page, P.lucia.token);
  assert.equal((await verdict(page, 'checked_in', P.lucia.name)).offline, true);
  assert.match(await page.locator('#verdict-offline').textContent(), /envoyé dès le retour/);
  await scanBadge(page, P.omar.token);
  const wrongDay = await verdict(page, 'wrong_day', P.omar.name);
  assert.equal(wrongDay.offline, true);
  assert.match(await page.locator('#verdict-offline').textContent(), /rien n'est envoyé/, 'a refusal is not queued');
  assert.equal(await queueCount(page), '1');
  await shot(page, 'offline-reload');

  await context.setOffline(false);
  await page.locator('#queue-count[data-count="0"]').waitFor({ timeout: 10000 });
  assert.equal(personIn(await roster(), P.lucia.id).checked_in[TODAY]?.desk, DESK);

  // Logging out leaves neither the list of people nor the page's copies behind.
  const lists = () => page.evaluate(() => Object.keys(localStorage).filter((k) => /roster|entries|conflicts/.test(k)));
  assert.ok((await lists()).length > 0);
  await page.locator('#verdict').waitFor({ state: 'hidden', timeout: 8000 });
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/desk')), page.click('.desk-logout')]);
  assert.deepEqual(await lists(), []);
  assert.deepEqual(await page.evaluate(() => caches.keys()), []);
});
