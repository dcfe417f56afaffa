// Profiles are asked for by many list items at once; one request per id, shared as a promise.

import { api } from './api.js';
import { h } from './dom.js';

const profiles = new Map();
let mePromise = null;

/** GET /api/users/me: my profile plus "moderator". Cached for the session. */
export function me() {
  if (!mePromise) {
    mePromise = api('/api/users/me').catch((err) => { mePromise = null; throw err; });
  }
  return mePromise;
}

export function profile(id, { fresh = false } = {}) {
  id = String(id);
  if (!fresh && profiles.has(id)) return profiles.get(id);
  const p = api(`/api/users/${encodeURIComponent(id)}`).catch((err) => { profiles.delete(id); throw err; });
  profiles.set(id, p);
  return p;
}

/** Keeps cached copies in step after a follow / unfollow made here. */
export function rememberProfile(user) {
  if (user && user.id) profiles.set(String(user.id), Promise.resolve(user));
}

export function forgetUsers() {
  profiles.clear();
  mePromise = null;
}

/** A link to a user whose name fills in when their profile arrives. */
export function userLink(id, known) {
  const a = h('a', { href: `#/user/${encodeURIComponent(id)}`, class: 'user-link' }, known || `User ${id}`);
  if (!known && id) {
    profile(id).then((u) => { if (u && u.nickname) a.textContent = u.nickname; }).catch(() => {});
  }
  return a;
}

/** A plain-text name that fills in when the profile arrives (for message lists, no link). */
export function userName(id) {
  const span = h('span', { class: 'who' }, `User ${id}`);
  if (id) profile(id).then((u) => { if (u && u.nickname) span.textContent = u.nickname; }).catch(() => {});
  return span;
}
