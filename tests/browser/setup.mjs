// Prepares the edition the browser tests use, through the public and organiser APIs:
// registration kept open, a few people registered for today (one for tomorrow only), one
// cancelled, one whose badge was re-issued. Writes their ids and badge tokens to DESK_FIXTURE.
import { writeFileSync } from 'node:fs';

const { BASE_URL, EDITION, ORGANISER_TOKEN, DESK_FIXTURE } = process.env;
if (!BASE_URL || !EDITION || !ORGANISER_TOKEN || !DESK_FIXTURE) {
  throw new Error('BASE_URL, EDITION, ORGANISER_TOKEN and DESK_FIXTURE are needed');
}

const parisDay = (d) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(d);
const today = parisDay(new Date());
const tomorrow = parisDay(new Date(Date.parse(today + 'T12:00:00Z') + 86400000));

async function call(method, path, body, token) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = 'Bearer ' + token;
  const res = await fetch(BASE_URL + path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** The token of a registration's current badge: the QR code on their personal page carries it. */
async function badgeToken(manageUrl) {
  const path = manageUrl.slice(manageUrl.indexOf('/r/'));
  const html = await (await fetch(BASE_URL + path)).text();
  const m = html.match(/data-token="(RC1[A-Z2-7]+)"/);
  if (!m) throw new Error('no badge token on ' + path);
  return m[1];
}

await call('PUT', `/api/v1/editions/${EDITION}/registration-settings`, {
  opens_at: null, closes_at: new Date(Date.now() + 365 * 86400e3).toISOString().slice(0, 19), capacity: null, privacy_notice: '', retention_days: 365,
}, ORGANISER_TOKEN);

const people = {
  aminata: ['Aminata', 'Diallo', 'Ville de Dakar', 'SN', true, ''],
  helene: ['Hélène', 'Lefèvre', 'Région Bretagne', 'FR', false, ''],
  kofi: ['Kofi', 'Mensah', "Ville d'Accra", 'GH', true, ''],
  sofia: ['Sofia', 'Costa', 'Câmara Municipal de Lisboa', 'PT', false, ''],
  marta: ['Marta', 'Nowak', 'Miasto Kraków', 'PL', true, ''],
  paul: ['Paul', 'Dubois', 'Ville de Lyon', 'FR', false, ''],
  yuki: ['Yuki', 'Tanaka', 'Ville de Kyoto', 'JP', false, ''],
  omar: ['Omar', 'Traoré', 'Ville de Bamako', 'ML', false, '', [tomorrow]],
  nadia: ['Nadia', 'Benali', 'Ville de Tunis', 'TN', false, ''],
  ana: ['Ana', 'Ruiz', 'Ville de Rosario', 'AR', true, 'Fauteuil roulant : accès de plain-pied'],
  lucia: ['Lucía', 'Gómez', 'Intendencia de Montevideo', 'UY', false, ''],
};

const out = { today, people: {} };
for (const [key, [first, last, organisation, country, lunch, accessibility, days]] of Object.entries(people)) {
  const created = await call('POST', `/api/v1/editions/${EDITION}/registrations`, {
    civility: 'mme', first_name: first, last_name: last, email: `${key}@example.org`, function: 'elected',
    organisation, organisation_type: 'foreign_local_government', country, cuf_member: false, days: days || [today],
    lunch, accessibility, sessions: [], lang: 'fr', consent_privacy: true, consent_photo: false,
  });
  out.people[key] = {
    id: created.id, token: await badgeToken(created.manage_url), first_name: first, last_name: last,
    organisation, name: `${first} ${last.toUpperCase()}`,
  };
}

// Paul cancelled; Yuki's badge was re-printed, so the token kept here is the old one.
await call('POST', `/api/v1/editions/${EDITION}/registrations/${out.people.paul.id}/cancel`, undefined, ORGANISER_TOKEN);
await call('POST', `/api/v1/editions/${EDITION}/registrations/${out.people.yuki.id}/badge`, undefined, ORGANISER_TOKEN);

writeFileSync(DESK_FIXTURE, JSON.stringify(out, null, 2));
