// The welcome desk's service worker. The desk page keeps its roster and its queue of scans
// in localStorage and works offline once open; this worker keeps a copy of the page and of
// its scripts, so that a page reloaded while the venue's network is down still opens.
// Network first: while the server answers, every page and script comes from it, and only
// when it does not is the last good copy used. API calls are not touched: the page
// handles their failures itself (it queues scans).
'use strict';

const CACHE = 'rencontres-desk-v1';

// Only what the server really gave is kept: not a redirection to the login page, not an
// error.
const worthKeeping = (response) => response.ok && !response.redirected && response.type === 'basic';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const page = request.mode === 'navigate' && url.pathname.startsWith('/desk/') && url.pathname !== '/desk/sw.js';
  const asset = url.pathname.startsWith('/static/');
  if (!page && !asset) return;
  event.respondWith(networkFirst(request, page));
});

// The page, once this worker is ready, names itself and its scripts and stylesheets: it
// was loaded before the worker could keep a copy.
self.addEventListener('message', (event) => {
  const urls = event.data && event.data.keep;
  if (Array.isArray(urls)) event.waitUntil(keep(urls));
});

async function keep(urls) {
  const cache = await caches.open(CACHE);
  await Promise.all(urls.map(async (url) => {
    try {
      const target = new URL(url, self.location.origin);
      if (target.origin !== self.location.origin) return;
      const response = await fetch(target, { credentials: 'same-origin' });
      if (worthKeeping(response)) await cache.put(target, response);
    } catch (_) { /* offline already: the next visit will do */ }
  }));
}

async function networkFirst(request, page) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (worthKeeping(response)) await cache.put(request, response.clone());
    return response;
  } catch (offline) {
    // A page opened with other parameters (language, mode) falls back on any copy of it.
    const kept = (await cache.match(request)) || (page && (await cache.match(request, { ignoreSearch: true })));
    if (kept) return kept;
    throw offline;
  }
}
