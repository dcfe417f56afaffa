import { qs } from '../api.js';
import { announce, h } from '../dom.js';
import { pagedList, postCard } from '../views.js';

export function render(root, route, signal) {
  const list = h('ul', { class: 'cards', 'aria-label': 'Posts from people you follow' });
  const refresh = h('button', { type: 'button', class: 'secondary', testid: 'timeline-refresh' }, 'Refresh');
  const q = h('input', { id: 'timeline-find', type: 'search', name: 'q', placeholder: 'Search posts' });

  // There is no suggestion API: point at the places where people to follow can be found.
  const emptyContent = h('div', null,
    h('p', null, 'Your timeline is empty. Follow people to see their posts here.'),
    h('p', null, 'Find creators through ', h('a', { href: '#/search' }, 'search'), ' or drop into a ', h('a', { href: '#/rooms' }, 'live room'), ', then follow them from their posts or profiles.'),
    h('form', { class: 'inline', role: 'search', onsubmit: (e) => { e.preventDefault(); location.hash = `#/search${qs({ q: q.value.trim() })}`; } },
      h('label', { for: 'timeline-find', class: 'visually-hidden' }, 'Search posts'), q, h('button', { type: 'submit' }, 'Search')));

  let refreshing = false;
  root.append(h('div', { class: 'page-head' }, h('h1', null, 'Home'), refresh), list);

  const pager = pagedList({
    list, signal, observe: true, emptyContent, moreLabel: 'Load more posts',
    url: (lastId) => `/api/timeline${qs({ size: 20, last_id: lastId })}`,
    renderItem: (p) => postCard(p, 'timeline-item'),
    onFirstPage: () => {
      // Read by the end-to-end tests: the first page is in the DOM now.
      performance.mark('timeline-first-paint');
      if (refreshing) announce('Timeline refreshed');
      refreshing = false;
    },
  });

  refresh.addEventListener('click', () => { refreshing = true; window.scrollTo({ top: 0 }); pager.reload(); });
  return () => pager.destroy();
}
