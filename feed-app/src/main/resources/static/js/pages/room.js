import { api, errorText, isAbort, qs } from '../api.js';
import { announce, charCount, counter, h, setFieldError, showError } from '../dom.js';
import { createDanmaku } from '../danmaku.js';
import { me, userName } from '../users.js';
import { connect } from '../ws.js';
import { openRooms } from './rooms.js';

const MAX_BARRAGE = 100;
const REPLAY_MS = 60000;
const BUSY_PER_SECOND = 50;
const LOG_MAX = 100;

const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);
const ERRORS = {
  429: () => "You're sending too fast. Wait a moment.",
  404: () => 'This room has closed.',
  413: () => 'That message is too long.',
  403: (d) => (d ? cap(d) : 'Join the room before sending.'),
  400: (d) => (d ? cap(d) : 'That message was not accepted.'),
  503: () => 'Could not send that just now. Try again.',
};

export function render(root, route, signal) {
  const roomId = route.arg;
  const heading = h('h1', null, 'Live room');
  const status = h('p', { class: 'room-status', testid: 'room-status' }, 'Connecting…');
  const viewers = h('span', { testid: 'viewer-count' }, '–');
  const busyNote = h('p', { class: 'notice', testid: 'busy-notice', hidden: true }, 'Busy room: you may not see every message');
  const placeholder = h('div', { class: 'stage-placeholder', testid: 'room-cover' }, 'Live');
  const layer = h('div', { class: 'barrage-layer', testid: 'barrage-layer', 'aria-hidden': 'true' });
  const stage = h('div', { class: 'stage' }, placeholder, layer);
  const log = h('ol', { class: 'barrage-log', 'aria-label': 'Barrage messages', testid: 'barrage-log' });

  const input = h('input', { id: 'barrage-input', name: 'text', maxlength: MAX_BARRAGE, autocomplete: 'off', testid: 'barrage-input', disabled: true, enterkeyhint: 'send' });
  const send = h('button', { type: 'submit', testid: 'barrage-send', disabled: true }, 'Send');
  const form = h('form', { class: 'barrage-form', novalidate: true },
    h('div', { class: 'field grow' }, h('label', { for: 'barrage-input' }, 'Say something'), h('div', { class: 'inline' }, input, send), counter(input, MAX_BARRAGE)));

  root.append(
    h('div', { class: 'page-head' }, heading, h('p', { class: 'viewers' }, viewers, ' watching')),
    status, busyNote,
    h('div', { class: 'room-grid' }, h('div', null, stage, form), h('aside', { class: 'side', 'aria-labelledby': 'log-heading' }, h('h2', { id: 'log-heading' }, 'Messages'), log)));

  let myId = null;
  let sock = null;
  let ended = false;
  let joinedOnce = false;
  let firstDrawn = false;
  let busyTimer = 0;
  const seen = new Set();
  const arrivals = [];

  const danmaku = createDanmaku(layer, {
    onDraw: () => {
      if (!firstDrawn) { firstDrawn = true; performance.mark('first-barrage'); }
    },
  });

  function showBusy() {
    busyNote.hidden = false;
    clearTimeout(busyTimer);
    busyTimer = setTimeout(() => { busyNote.hidden = true; }, 10000);
  }

  function logItem(item, replay) {
    const mine = String(item.from) === myId;
    return h('li', { class: `${replay ? 'replay' : ''}${mine ? ' mine' : ''}`, testid: replay ? 'barrage-replay-item' : 'barrage-log-item' },
      replay ? h('span', { class: 'tag' }, 'replay') : null,
      mine ? h('span', { class: 'who' }, 'You') : userName(item.from), ': ', item.text);
  }

  function remember(id) {
    if (id == null) return true;
    if (seen.has(id)) return false;
    if (seen.size > 5000) seen.clear(); // ids only guard against the broker's rare repeats
    seen.add(id);
    return true;
  }

  function live(items) {
    const now = performance.now();
    for (const item of items) {
      if (item && (item.sampled === true || item.type === 'sampled')) showBusy();
      if (!item || typeof item.text !== 'string' || (item.type && item.type !== 'barrage')) continue;
      if (!remember(item.id)) continue;
      arrivals.push(now);
      danmaku.add({ text: item.text, mine: String(item.from) === myId });
      log.append(logItem(item, false));
    }
    while (arrivals.length && now - arrivals[0] > 1000) arrivals.shift();
    if (arrivals.length > BUSY_PER_SECOND) showBusy();
    while (log.children.length > LOG_MAX) log.firstElementChild.remove();
    log.scrollTop = log.scrollHeight;
  }

  async function replay() {
    const to = Date.now();
    try {
      const page = await api(`/api/rooms/${encodeURIComponent(roomId)}/barrage${qs({ from_ms: to - REPLAY_MS, to_ms: to })}`, { signal });
      const nodes = (page.items || []).filter((it) => remember(it.id)).map((it) => logItem(it, true));
      log.prepend(...nodes);
    } catch {
      // Replay is best effort by design (the recent window lives in Redis only).
    }
  }

  function end(message) {
    ended = true;
    status.textContent = message;
    input.disabled = true;
    send.disabled = true;
    busyNote.hidden = true;
    announce(message);
    if (sock) sock.close();
  }

  function onFrame(f) {
    if (f.sampled === true) showBusy();
    switch (f.type) {
      case 'joined':
        if (f.viewers != null) viewers.textContent = String(f.viewers);
        status.textContent = 'Live';
        input.disabled = false;
        send.disabled = false;
        performance.mark('room-joined');
        if (!joinedOnce) { joinedOnce = true; replay(); }
        break;
      case 'barrage': live([f]); break;
      case 'batch': live(f.items || []); break;
      case 'sampled': showBusy(); break;
      case 'closed': if (!f.room || String(f.room) === String(roomId)) end('The live room has ended'); break;
      case 'error': {
        const words = (ERRORS[f.status] || ((d) => (d ? cap(d) : 'Something went wrong.')))(f.detail);
        if (f.status === 404) end(words);
        else showError(words);
        break;
      }
      default: break; // pong, gifts, PK: not shown here
    }
  }

  function onState(state, info) {
    if (ended) return;
    if (state === 'connecting' && joinedOnce) status.textContent = 'Reconnecting…';
    else if (state === 'open') status.textContent = 'Joining…';
    else if (state === 'waiting') {
      status.textContent = `Connection lost. Reconnecting in ${Math.ceil(info.ms / 1000)} s…`;
      input.disabled = true;
      send.disabled = true;
    }
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (ended) return;
    const text = input.value.trim();
    if (!text) return;
    if (charCount(text) > MAX_BARRAGE) { setFieldError(input, `At most ${MAX_BARRAGE} characters.`); return; }
    setFieldError(input, '');
    showError('');
    if (!sock || !sock.send({ type: 'barrage', room: String(roomId), text })) {
      showError('Not connected right now; your message was not sent. Try again in a moment.');
      return;
    }
    input.value = '';
    input.dispatchEvent(new Event('input'));
  });

  me().then((u) => {
    if (signal.aborted) return;
    myId = String(u.id);
    sock = connect({ onOpen: () => sock && sock.send({ type: 'join', room: String(roomId) }), onFrame, onState });
  }).catch((err) => { if (!isAbort(err)) showError(errorText(err)); });

  // The room's title and video come from the open-room list and the linked post.
  openRooms(signal).then(async (rooms) => {
    const room = rooms.find((r) => String(r.id) === String(roomId));
    if (!room) return;
    heading.textContent = room.title || heading.textContent;
    document.title = `${heading.textContent} · Feed`;
    if (!room.post_id) return;
    const d = await api(`/api/posts/${encodeURIComponent(room.post_id)}`, { signal });
    const post = d.post;
    const video = post.type === 'VIDEO' && post.media && post.media[0];
    let media;
    if (video) {
      media = h('video', { class: 'stage-media', testid: 'room-video', muted: true, autoplay: true, loop: true, controls: true, playsinline: true, poster: post.cover || undefined, 'aria-label': post.title });
      media.setAttribute('muted', ''); // autoplay policies look at the attribute, not only the property
      media.src = video;
      media.play().catch(() => {}); // refused autoplay leaves the controls to the person
    } else if (post.cover || (post.media && post.media[0])) {
      media = h('img', { class: 'stage-media', testid: 'room-cover', src: post.cover || post.media[0], alt: post.title });
    }
    if (media) placeholder.replaceWith(media);
  }).catch(() => { /* the room still works without its post's picture */ });

  return () => {
    clearTimeout(busyTimer);
    if (sock) { if (!ended) sock.send({ type: 'leave', room: String(roomId) }); sock.close(); }
    danmaku.destroy();
  };
}
