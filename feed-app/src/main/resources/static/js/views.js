// Pieces several pages show: a post card, a follow button, a user row, a paged list.

import { api, errorText, isAbort } from './api.js';
import { announce, h, showError, timeEl } from './dom.js';
import { rememberProfile, userLink } from './users.js';

export const postHref = (id) => `#/post/${encodeURIComponent(id)}`;

/** A post summary as a list item; testid says which list it is in. */
export function postCard(p, testid = 'timeline-item') {
  const original = p.original || null;
  return h('li', { class: 'card post-card', testid, dataset: { postId: p.id } },
    h('a', { class: 'card-link', href: postHref(p.id) },
      p.cover ? h('img', { class: 'cover', src: p.cover, alt: '', loading: 'lazy', decoding: 'async' }) : null,
      h('h2', { class: 'card-title' }, p.title || (original && original.title) || 'Untitled')),
    h('p', { class: 'meta' },
      userLink(p.author_id), ' · ', timeEl(p.created_at),
      p.type ? h('span', { class: 'tag' }, p.type === 'REPOST' ? 'Repost' : p.type === 'VIDEO' ? 'Video' : 'Images') : null,
      p.live_room_id ? h('a', { class: 'live-badge', href: `#/room/${encodeURIComponent(p.live_room_id)}`, 'aria-label': `Live now: join the room of ${p.title || 'this post'}` }, 'LIVE') : null),
    p.repost_of ? h('p', { class: 'meta' }, 'Reposted from ', h('a', { href: postHref(p.repost_of) }, (original && original.title) || 'the original post')) : null);
}

/**
 * Follow / unfollow, optimistic: the button flips at once and flips back if the server says no.
 * onChange(delta) lets the page move a follower count with it.
 */
export function followButton(user, onChange) {
  const btn = h('button', { type: 'button', class: 'follow', testid: 'follow-button' });
  let following = !!user.followed_by_me;
  let pending = false;
  const paint = () => {
    btn.setAttribute('aria-pressed', String(following));
    btn.textContent = following ? 'Following' : 'Follow';
    btn.setAttribute('aria-label', `${following ? 'Unfollow' : 'Follow'} ${user.nickname || 'this user'}`);
  };
  paint();
  btn.addEventListener('click', async () => {
    if (pending) return;
    pending = true;
    const next = !following;
    following = next;
    paint();
    if (onChange) onChange(next ? 1 : -1);
    try {
      await api(`/api/users/${encodeURIComponent(user.id)}/follow`, { method: next ? 'POST' : 'DELETE' });
      rememberProfile({ ...user, followed_by_me: next, followers: (user.followers || 0) + (next ? 1 : -1) });
      announce(next ? `You follow ${user.nickname || 'this user'} now` : `You no longer follow ${user.nickname || 'this user'}`);
    } catch (err) {
      following = !next;
      paint();
      if (onChange) onChange(next ? -1 : 1);
      showError(errorText(err));
    } finally {
      pending = false;
    }
  });
  return btn;
}

export function userRow(u) {
  return h('li', { class: 'user-row', testid: 'user-item', dataset: { userId: u.id } },
    userLink(u.id, u.nickname || `User ${u.id}`),
    h('span', { class: 'muted' }, ` ${u.followers ?? 0} followers`),
    u.big_account ? h('span', { class: 'tag' }, 'Big account') : null);
}

/**
 * A list paged by last_id: first page now, then a "Load more" button (and, when given a sentinel,
 * an IntersectionObserver that presses it for you). Returns {reload, destroy}.
 */
export function pagedList({ list, url, renderItem, signal, emptyText, emptyContent, moreLabel = 'Load more', observe = false, onFirstPage }) {
  let lastId = null;
  let hasMore = true;
  let loading = false;
  let epoch = 0;
  const seen = new Set();
  const more = h('button', { type: 'button', class: 'more', hidden: true }, moreLabel);
  const empty = h('div', { class: 'empty', hidden: true }, emptyContent || h('p', null, emptyText || 'Nothing here yet.'));
  const sentinel = h('div', { class: 'sentinel', 'aria-hidden': 'true' });
  list.after(empty, sentinel, more);

  async function load() {
    if (loading || !hasMore) return;
    loading = true;
    more.disabled = true;
    more.textContent = 'Loading…';
    const mine = epoch;
    try {
      const page = await api(url(lastId), { signal });
      if (mine !== epoch) return;
      const first = lastId === null;
      for (const item of page.items || []) {
        if (seen.has(item.id)) continue;
        seen.add(item.id);
        list.append(renderItem(item));
      }
      lastId = page.last_id ?? null;
      hasMore = !!page.has_more && lastId !== null;
      empty.hidden = !(first && seen.size === 0);
      if (first && onFirstPage) onFirstPage(page);
    } catch (err) {
      if (isAbort(err) || mine !== epoch) return;
      showError(errorText(err));
    } finally {
      if (mine === epoch) {
        loading = false;
        more.disabled = false;
        more.textContent = moreLabel;
        more.hidden = !hasMore;
      }
    }
    // A tall screen may show the sentinel again at once; keep filling until it is pushed out.
    if (observe && hasMore && mine === epoch) queueMicrotask(check);
  }

  let io = null;
  const check = () => {
    const r = sentinel.getBoundingClientRect();
    if (r.top < window.innerHeight + 400) load();
  };
  if (observe && 'IntersectionObserver' in window) {
    io = new IntersectionObserver((entries) => { if (entries.some((e) => e.isIntersecting)) load(); }, { rootMargin: '400px 0px' });
    io.observe(sentinel);
  }
  more.addEventListener('click', load);

  function reload() {
    epoch++;
    lastId = null;
    hasMore = true;
    loading = false;
    seen.clear();
    list.replaceChildren();
    empty.hidden = true;
    return load();
  }
  reload();
  return { reload, destroy: () => io && io.disconnect(), get count() { return seen.size; } };
}
