// Entry point: header state, log out, skip link, then the router.

import { session } from './api.js';
import { announce } from './dom.js';
import { startRouter } from './router.js';
import { forgetUsers, me } from './users.js';

const nav = document.getElementById('nav');

function paintNav() {
  const signedIn = !!session.token;
  nav.hidden = !signedIn;
  if (!signedIn) return;
  // "Me" points at my own id once known, so the profile page needs no special case.
  me().then((u) => {
    document.getElementById('nav-me').href = `#/user/${encodeURIComponent(u.id)}`;
  }).catch(() => {});
}

session.onChange((signedIn) => {
  if (!signedIn) {
    forgetUsers();
    import('./chat.js').then((m) => m.stopChat()).catch(() => {});
  }
  paintNav();
});

document.getElementById('logout').addEventListener('click', () => {
  session.clear();
  announce('You are logged out');
  location.hash = '#/login';
});

document.getElementById('skip-link').addEventListener('click', (e) => {
  e.preventDefault();
  document.getElementById('main').focus();
});

// Another tab logging in or out changes what this one may show.
window.addEventListener('storage', (e) => {
  if (e.key === 'feed.token') {
    forgetUsers();
    paintNav();
    if (!e.newValue) location.hash = '#/login';
  }
});

paintNav();
startRouter();
