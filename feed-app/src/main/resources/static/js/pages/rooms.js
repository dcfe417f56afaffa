import { api, errorText, isAbort } from '../api.js';
import { busy, h, setFieldError, showError } from '../dom.js';
import { userLink } from '../users.js';

const REFRESH_MS = 10000;

/** All open rooms (the list is a snapshot the server rebuilds each second), following has_more. */
export async function openRooms(signal, maxPages = 5) {
  const rooms = [];
  let lastId = null;
  for (let i = 0; i < maxPages; i++) {
    const page = await api(`/api/rooms?size=100${lastId ? `&last_id=${encodeURIComponent(lastId)}` : ''}`, { signal });
    rooms.push(...(page.items || []));
    if (!page.has_more || !page.last_id) break;
    lastId = page.last_id;
  }
  return rooms;
}

export function render(root, route, signal) {
  const list = h('ul', { class: 'cards rooms', 'aria-label': 'Open live rooms' });
  const empty = h('p', { class: 'empty', hidden: true }, 'No live rooms right now. Open one below, or go live from one of your posts.');
  const updated = h('p', { class: 'muted small', 'aria-live': 'off' });

  const title = h('input', { id: 'room-title', name: 'title', maxlength: 200, required: true, testid: 'room-title' });
  const open = h('button', { type: 'submit', testid: 'room-open' }, 'Open a room');
  const form = h('form', { class: 'inline', novalidate: true },
    h('div', { class: 'field grow' }, h('label', { for: 'room-title' }, 'Room title'), title), open);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const t = title.value.trim();
    setFieldError(title, t ? '' : 'Give the room a title.');
    if (!t) return;
    busy(open, true);
    try {
      const room = await api('/api/rooms', { method: 'POST', body: { title: t } });
      location.hash = `#/room/${encodeURIComponent(room.id)}`;
    } catch (err) {
      if (/^title/i.test(err.detail || '')) setFieldError(title, errorText(err)); else showError(errorText(err));
      busy(open, false);
    }
  });

  root.append(h('h1', null, 'Live rooms'), updated, list, empty, h('h2', null, 'Start a live room'), form);

  async function load() {
    if (document.hidden) return; // nobody is looking; the next tick or a return to the tab refreshes
    try {
      const rooms = await openRooms(signal);
      list.replaceChildren(...rooms.map((r) => h('li', { class: 'card room-card', testid: 'room-item', dataset: { roomId: r.id } },
        h('a', { class: 'card-link', href: `#/room/${encodeURIComponent(r.id)}` }, h('h2', { class: 'card-title' }, r.title || `Room ${r.id}`)),
        h('p', { class: 'meta' }, h('span', { class: 'live-badge' }, r.status === 'OPEN' ? 'LIVE' : r.status), ' by ', userLink(r.owner_id),
          r.post_id ? [' · ', h('a', { href: `#/post/${encodeURIComponent(r.post_id)}` }, 'the post')] : null))));
      empty.hidden = rooms.length > 0;
      updated.textContent = `Updated ${new Date().toLocaleTimeString()}`;
      showError('');
    } catch (err) {
      if (!isAbort(err)) showError(errorText(err));
    }
  }
  load();
  const timer = setInterval(load, REFRESH_MS);
  const onVisible = () => { if (!document.hidden) load(); };
  document.addEventListener('visibilitychange', onVisible);
  return () => { clearInterval(timer); document.removeEventListener('visibilitychange', onVisible); };
}
