import { errorText, isAbort, qs } from '../api.js';
import { h, showError } from '../dom.js';
import { me, profile } from '../users.js';
import { followButton, pagedList, postCard, userRow } from '../views.js';

const TABS = [
  { key: 'posts', label: 'Posts', path: 'posts', empty: 'No posts yet.' },
  { key: 'followers', label: 'Followers', path: 'followers', empty: 'No followers yet.' },
  { key: 'following', label: 'Following', path: 'following', empty: 'Not following anyone yet.' },
];

export function render(root, route, signal) {
  const heading = h('h1', null, 'Profile');
  const head = h('div', { class: 'profile-head' }, heading);
  root.append(head);
  let pager = null;

  const who = route.arg === 'me' || !route.arg ? me() : profile(route.arg, { fresh: true });
  Promise.all([who, me()]).then(([user, viewer]) => {
    if (signal.aborted) return;
    const self = String(user.id) === String(viewer.id);
    heading.textContent = user.nickname || `User ${user.id}`;
    document.title = `${heading.textContent} · Feed`;
    const stats = h('p', { class: 'muted' });
    const paintStats = () => { stats.textContent = `${user.followers} followers · ${user.following} following${user.big_account ? ' · Big account' : ''}`; };
    paintStats();
    head.append(stats, self ? h('p', { class: 'muted' }, 'This is you.')
      : followButton(user, (delta) => { user.followers += delta; paintStats(); }));

    // Tabs per the ARIA tabs pattern: arrow keys move between them, one panel shows at a time.
    const tablist = h('div', { role: 'tablist', class: 'tabs', 'aria-label': 'Profile lists' });
    const panel = h('div', { role: 'tabpanel', id: 'profile-panel', tabindex: '0' });
    const buttons = TABS.map((t, i) => h('button', {
      type: 'button', role: 'tab', id: `tab-${t.key}`, 'aria-controls': 'profile-panel', testid: `tab-${t.key}`,
      onclick: () => select(i),
      onkeydown: (e) => {
        const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
        if (d) { e.preventDefault(); const j = (i + d + TABS.length) % TABS.length; select(j); buttons[j].focus(); }
      },
    }, t.label));
    tablist.append(...buttons);
    root.append(tablist, panel);

    function select(i) {
      const t = TABS[i];
      buttons.forEach((b, j) => { b.setAttribute('aria-selected', String(i === j)); b.tabIndex = i === j ? 0 : -1; });
      panel.setAttribute('aria-labelledby', `tab-${t.key}`);
      if (pager) pager.destroy();
      panel.replaceChildren();
      const list = h('ul', { class: t.key === 'posts' ? 'cards' : 'users' });
      panel.append(list);
      pager = pagedList({
        list, signal, emptyText: t.empty, observe: t.key === 'posts',
        url: (lastId) => `/api/users/${encodeURIComponent(user.id)}/${t.path}${qs({ size: 20, last_id: lastId })}`,
        renderItem: t.key === 'posts' ? (p) => postCard(p, 'profile-post') : userRow,
      });
    }
    select(0);
  }).catch((err) => {
    if (isAbort(err)) return;
    heading.textContent = err.status === 404 ? 'No such user' : 'Could not load this profile';
    showError(errorText(err));
  });

  return () => pager && pager.destroy();
}
