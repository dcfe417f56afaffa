import { api, errorText, isAbort, qs } from '../api.js';
import { announce, debounce, h, showError } from '../dom.js';
import { postCard } from '../views.js';

export function render(root, route, signal) {
  const input = h('input', { id: 'search-q', type: 'search', name: 'q', autocomplete: 'off', testid: 'search-input', value: route.query.get('q') || '' });
  const list = h('ul', { class: 'cards', 'aria-label': 'Search results' });
  const info = h('p', { class: 'muted', testid: 'search-info' });
  const more = h('button', { type: 'button', class: 'more', hidden: true, testid: 'search-more' }, 'More results');
  root.append(h('h1', null, 'Search'),
    h('form', { role: 'search', class: 'inline', onsubmit: (e) => { e.preventDefault(); run.cancel(); search(); } },
      h('label', { for: 'search-q' }, 'Search posts'), input, h('button', { type: 'submit' }, 'Search')),
    info, list, more);

  // Only the newest query's answer is shown: each new one aborts the one before it.
  let inflight = null;
  let cursor = null;
  let query = '';
  const seen = new Set();

  async function fetchPage(q, next) {
    if (inflight) inflight.abort();
    const ctl = new AbortController();
    inflight = ctl;
    signal.addEventListener('abort', () => ctl.abort(), { once: true });
    const page = await api(`/api/search${qs({ q, size: 20, cursor: next })}`, { signal: ctl.signal });
    if (inflight === ctl) inflight = null;
    return page;
  }

  function show(page, append) {
    if (!append) { list.replaceChildren(); seen.clear(); }
    for (const p of page.items || []) {
      if (seen.has(p.id)) continue;
      seen.add(p.id);
      list.append(postCard(p, 'search-result'));
    }
    cursor = page.has_more ? page.cursor || null : null;
    more.hidden = !cursor;
  }

  async function search() {
    const q = input.value.trim();
    // Keep the address shareable without a hashchange (which would re-render the page).
    history.replaceState(null, '', `#/search${qs({ q })}`);
    query = q;
    showError('');
    if (!q) {
      if (inflight) inflight.abort();
      list.replaceChildren(); seen.clear(); more.hidden = true; info.textContent = '';
      return;
    }
    info.textContent = 'Searching…';
    try {
      const page = await fetchPage(q, null);
      if (q !== query) return;
      show(page, false);
      const n = seen.size;
      info.textContent = n ? '' : `Nothing found for “${q}”.`;
      announce(n ? `${n}${cursor ? '+' : ''} results` : 'No results');
    } catch (err) {
      if (isAbort(err)) return;
      info.textContent = '';
      showError(errorText(err));
    }
  }

  const run = debounce(search, 250);
  input.addEventListener('input', run);
  more.addEventListener('click', async () => {
    if (!cursor) return;
    more.disabled = true;
    const q = query;
    try {
      const page = await fetchPage(q, cursor);
      if (q === query) show(page, true);
    } catch (err) {
      if (!isAbort(err)) showError(errorText(err));
    } finally {
      more.disabled = false;
    }
  });

  if (input.value.trim()) search();
  input.focus();
  return () => { run.cancel(); if (inflight) inflight.abort(); };
}
