import { api, ApiError, errorText, isAbort, qs, uuid, withRetry } from '../api.js';
import { announce, busy, charCount, counter, h, setFieldError, showError, timeEl } from '../dom.js';
import { me, userLink } from '../users.js';
import { followButton } from '../views.js';

const MAX_COMMENT = 2000;
const FIRST_COMMENTS = 20; // the detail page embeds this many; a full first page may have more behind it

function commentItem(c) {
  return h('li', { class: 'comment', testid: 'comment-item', dataset: { commentId: c.id } },
    h('p', { class: 'meta' }, userLink(c.author_id), ' · ', timeEl(c.created_at)),
    h('p', { class: 'body' }, c.text));
}

/** A toggle button with a count beside it; optimistic, reverted when the server refuses. */
function toggle({ label, pressedLabel, pressed, count, testid, countTestid, url, onDone }) {
  const num = h('span', { class: 'count', testid: countTestid }, count == null ? '–' : String(count));
  const text = h('span', null);
  const btn = h('button', { type: 'button', class: 'toggle', testid }, text, ' ', num);
  let on = !!pressed;
  let n = count;
  let pending = false;
  const paint = () => {
    btn.setAttribute('aria-pressed', String(on));
    text.textContent = on ? pressedLabel : label;
    num.textContent = n == null ? '–' : String(Math.max(0, n));
  };
  paint();
  btn.addEventListener('click', async () => {
    if (pending) return;
    pending = true;
    const next = !on;
    on = next;
    if (n != null) n += next ? 1 : -1;
    paint();
    try {
      await api(url, { method: next ? 'POST' : 'DELETE' });
      if (onDone) onDone(next);
    } catch (err) {
      on = !next;
      if (n != null) n += next ? -1 : 1;
      paint();
      showError(errorText(err));
    } finally {
      pending = false;
    }
  });
  return btn;
}

export function render(root, route, signal) {
  const id = route.arg;
  const heading = h('h1', { testid: 'post-title' }, 'Loading post…');
  const article = h('article', { class: 'post' }, heading);
  root.append(article);
  const base = `/api/posts/${encodeURIComponent(id)}`;

  Promise.all([api(base, { signal }), me()]).then(([d, viewer]) => {
    if (signal.aborted) return;
    build(article, heading, d, viewer, base, signal);
    api(`${base}/views`, { method: 'POST' }).catch(() => {}); // counted once per opening; failures don't matter to the reader
  }).catch((err) => {
    if (isAbort(err)) return;
    heading.textContent = err.status === 404 ? 'Post not available' : 'Could not load the post';
    showError(err.status === 404 ? 'This post does not exist any more: it was deleted or hidden by a moderator.' : errorText(err));
  });
}

function build(article, heading, d, viewer, base, signal) {
  const post = d.post;
  const author = d.author || { id: post.author_id };
  const counts = d.counts || null;
  const mine = String(post.author_id) === String(viewer.id);
  heading.textContent = post.title;
  document.title = `${post.title} · Feed`;

  const followers = h('span', { class: 'muted' }, author.followers != null ? `${author.followers} followers` : '');
  const byline = h('p', { class: 'byline' }, 'By ', userLink(author.id, author.nickname), ' · ', timeEl(post.created_at), ' ', followers,
    !mine && author.id ? followButton(author, (delta) => {
      author.followers = (author.followers || 0) + delta;
      followers.textContent = `${author.followers} followers`;
    }) : null);

  const media = post.media || [];
  let mediaEl = null;
  if (post.type === 'VIDEO' && media[0]) {
    mediaEl = h('video', { class: 'media', src: media[0], poster: post.cover || undefined, controls: true, preload: 'metadata', playsinline: true, 'aria-label': post.title });
  } else if (media.length) {
    mediaEl = h('div', { class: 'gallery' }, media.map((src) => h('img', { src, alt: post.title, loading: 'lazy', decoding: 'async' })));
  } else if (post.cover) {
    mediaEl = h('img', { class: 'media', src: post.cover, alt: post.title });
  }

  const url = (s) => `${base}/${s}`;
  const like = toggle({ label: 'Like', pressedLabel: 'Liked', pressed: d.liked_by_me, count: counts && counts.likes, testid: 'like-button', countTestid: 'like-count', url: url('like') });
  // The detail page doesn't say whether I already favorited this post; the button starts off.
  const fav = toggle({ label: 'Favorite', pressedLabel: 'Favorited', pressed: false, count: counts && counts.favorites, testid: 'favorite-button', countTestid: 'favorite-count', url: url('favorite') });
  let shares = counts ? counts.shares : null;
  const shareCount = h('span', { class: 'count', testid: 'share-count' }, shares == null ? '–' : String(shares));
  const share = h('button', { type: 'button', testid: 'share-button' }, 'Share ', shareCount);
  share.addEventListener('click', async () => {
    busy(share, true);
    try {
      await api(url('share'), { method: 'POST' });
      if (shares != null) shareCount.textContent = String(++shares);
      const link = `${location.origin}${location.pathname}#/post/${encodeURIComponent(post.id)}`;
      try { await navigator.clipboard.writeText(link); announce('Shared: link copied'); } catch { announce('Shared'); }
    } catch (err) {
      showError(errorText(err));
    } finally {
      busy(share, false);
    }
  });
  const views = h('span', { class: 'muted' }, counts ? `${counts.views} views` : '');
  const actions = h('div', { class: 'actions', role: 'group', 'aria-label': 'Reactions' }, like, fav, share, views);

  const owner = h('div', { class: 'actions' });
  if (post.live_room_id) {
    owner.append(h('a', { class: 'button live', href: `#/room/${encodeURIComponent(post.live_room_id)}`, testid: 'join-live-link' }, 'Join live room'));
  } else if (mine) {
    const goLive = h('button', { type: 'button', testid: 'go-live-button' }, 'Go live');
    goLive.addEventListener('click', async () => {
      busy(goLive, true);
      try {
        const room = await api('/api/rooms', { method: 'POST', body: { title: post.title, post_id: post.id } });
        location.hash = `#/room/${encodeURIComponent(room.id)}`;
      } catch (err) {
        if (err instanceof ApiError && err.status === 409) {
          // The post is already live (opened elsewhere since this page loaded): go to its room.
          try {
            const fresh = await api(`/api/posts/${encodeURIComponent(post.id)}`);
            const roomId = fresh && fresh.post && fresh.post.live_room_id;
            if (roomId) {
              location.hash = `#/room/${encodeURIComponent(roomId)}`;
              return;
            }
          } catch (ignored) {
            // fall through to the message
          }
        }
        showError(errorText(err));
        busy(goLive, false);
      }
    });
    owner.append(goLive);
  }
  if (mine) {
    const del = h('button', { type: 'button', class: 'danger', testid: 'delete-button' }, 'Delete');
    del.addEventListener('click', async () => {
      if (!confirm('Delete this post? This cannot be undone.')) return;
      busy(del, true);
      try {
        await api(base, { method: 'DELETE' });
        announce('Post deleted');
        location.hash = '#/timeline';
      } catch (err) {
        showError(errorText(err));
        busy(del, false);
      }
    });
    owner.append(del);
  }
  if (viewer.moderator === true) {
    const modUrl = `/api/moderation/blacklist/${encodeURIComponent(post.id)}`;
    const modButton = (label, method, testid, done) => {
      const b = h('button', { type: 'button', class: method === 'POST' ? 'danger' : 'secondary', testid }, label);
      b.addEventListener('click', async () => {
        busy(b, true);
        try { await api(modUrl, { method }); announce(done); } catch (err) { showError(errorText(err)); } finally { busy(b, false); }
      });
      return b;
    };
    owner.append(h('span', { class: 'mod-tools', role: 'group', 'aria-label': 'Moderation' },
      modButton('Blacklist', 'POST', 'blacklist-button', 'Post blacklisted: hidden from everyone'),
      modButton('Restore', 'DELETE', 'restore-button', 'Post restored')));
  }

  const degraded = (d.degraded && d.degraded.length)
    ? h('p', { class: 'notice' }, 'Some parts of this page are unavailable right now; reload in a moment.') : null;

  article.append(byline, mediaEl, post.text ? h('p', { class: 'post-text' }, post.text) : null, actions, owner, degraded,
    comments(d, base, signal));
}

function comments(d, base, signal) {
  const list = h('ol', { class: 'comments', 'aria-label': 'Comments' });
  const seen = new Set();
  const add = (c, atTop) => {
    if (seen.has(c.id)) return;
    seen.add(c.id);
    if (atTop) list.prepend(commentItem(c)); else list.append(commentItem(c));
  };
  const first = d.comments || [];
  first.forEach((c) => add(c));
  let lastId = first.length ? first[first.length - 1].id : null;
  const total = d.counts ? d.counts.comments : null;
  let hasMore = first.length >= FIRST_COMMENTS || (total != null && total > first.length && first.length > 0);
  const countLabel = h('span', { class: 'muted' }, total != null ? ` (${total})` : '');
  const empty = h('p', { class: 'empty', hidden: first.length > 0 }, 'No comments yet. Be the first.');

  const more = h('button', { type: 'button', class: 'more', hidden: !hasMore }, 'More comments');
  more.addEventListener('click', async () => {
    busy(more, true);
    try {
      const page = await api(`${base}/comments${qs({ last_id: lastId, size: 20 })}`, { signal });
      (page.items || []).forEach((c) => add(c));
      lastId = page.last_id ?? lastId;
      hasMore = !!page.has_more && page.last_id != null;
    } catch (err) {
      if (!isAbort(err)) showError(errorText(err));
    } finally {
      busy(more, false);
      more.hidden = !hasMore;
    }
  });

  const input = h('textarea', { id: 'comment-input', name: 'text', rows: 3, maxlength: MAX_COMMENT, testid: 'comment-input', required: true });
  const submit = h('button', { type: 'submit', testid: 'comment-submit' }, 'Comment');
  const count = counter(input, MAX_COMMENT);
  const form = h('form', { class: 'stack', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'comment-input' }, 'Add a comment'), input, count), submit);
  let key = null;
  let keyedText = null;
  let n = total;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    showError('');
    const text = input.value;
    const bad = !text.trim() ? 'Write something first.' : charCount(text) > MAX_COMMENT ? `A comment is at most ${MAX_COMMENT} characters.` : '';
    setFieldError(input, bad);
    if (bad) { input.focus(); return; }
    if (text !== keyedText) { key = uuid(); keyedText = text; }
    busy(submit, true);
    try {
      const c = await withRetry(() => api(`${base}/comments`, { method: 'POST', body: { text }, headers: { 'Idempotency-Key': key } }), { signal });
      add(c, true);
      empty.hidden = true;
      if (n != null) countLabel.textContent = ` (${++n})`;
      input.value = '';
      count.update();
      key = null;
      keyedText = null;
      announce('Comment posted');
    } catch (err) {
      if (isAbort(err)) return;
      if (err.status === 400 && /^text/i.test(err.detail || '')) setFieldError(input, errorText(err));
      else showError(errorText(err));
    } finally {
      busy(submit, false);
    }
  });

  return h('section', { class: 'comments-section', 'aria-labelledby': 'comments-heading' },
    h('h2', { id: 'comments-heading' }, 'Comments', countLabel), form, empty, list, more);
}
