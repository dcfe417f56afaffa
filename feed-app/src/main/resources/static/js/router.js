// Hash routing: "#/name/arg?query". Pages are loaded on first visit (dynamic import keeps the first
// paint small) and may return a cleanup function, called when the person navigates away, so
// timers, sockets and observers of a page never outlive it.

import { session } from './api.js';
import { clearError, showError } from './dom.js';

const routes = {
  login: () => import('./pages/login.js'),
  timeline: () => import('./pages/timeline.js'),
  compose: () => import('./pages/compose.js'),
  post: () => import('./pages/post.js'),
  user: () => import('./pages/profile.js'),
  search: () => import('./pages/search.js'),
  rooms: () => import('./pages/rooms.js'),
  room: () => import('./pages/room.js'),
  chat: () => import('./pages/chat.js'),
};

const PUBLIC = new Set(['login']);

let cleanup = null;
let generation = 0;

export function parseHash(hash = location.hash) {
  const raw = hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?');
  const [name = '', ...rest] = path.split('/').filter(Boolean).map((s) => { try { return decodeURIComponent(s); } catch { return s; } });
  return { name, arg: rest.join('/'), query: new URLSearchParams(query) };
}

export function go(hash) {
  if (location.hash === hash) render();
  else location.hash = hash;
}

async function render() {
  // "#main" from the skip link, or any other in-page anchor, is not a route.
  if (location.hash && !location.hash.startsWith('#/')) return;
  const route = parseHash();
  if (!routes[route.name]) {
    location.replace(session.token ? '#/timeline' : '#/login');
    return;
  }
  if (!PUBLIC.has(route.name) && !session.token) {
    sessionStorage.setItem('feed.returnTo', location.hash); // back here after logging in
    location.replace('#/login');
    return;
  }
  const mine = ++generation;
  if (cleanup) { try { cleanup(); } catch { /* a page's teardown must not block the next page */ } }
  cleanup = null;
  clearError();
  document.querySelectorAll('[data-nav]').forEach((a) => {
    if (a.dataset.nav === route.name) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
  const outlet = document.getElementById('outlet');
  let page;
  try {
    page = await routes[route.name]();
  } catch {
    if (mine === generation) showError('Could not load this page. Check your connection and reload.');
    return;
  }
  if (mine !== generation) return; // navigated again while the module loaded
  outlet.replaceChildren();
  const controller = new AbortController();
  const done = page.render(outlet, route, controller.signal);
  cleanup = () => { controller.abort(); if (typeof done === 'function') done(); };
  const heading = outlet.querySelector('h1');
  if (heading) {
    document.title = `${heading.textContent} · Feed`;
    // Move focus to the new page's heading so keyboard and screen-reader users land on it, unless
    // the page already put it somewhere useful (a search box, the login form).
    if (!outlet.contains(document.activeElement)) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
  }
}

export function startRouter() {
  window.addEventListener('hashchange', render);
  render();
}
