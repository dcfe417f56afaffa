// The chat client: one shared WebSocket per tab (named as a device, so the server resumes each
// conversation where this browser left it), an outbox of unacknowledged sends that survives
// reconnects and reloads, per-conversation message lists ordered by seq, read cursors, presence.
// Pages listen to 'change' events and redraw from this state.

import { api, qs } from './api.js';
import { me } from './users.js';
import { connect } from './ws.js';

const DEVICE_KEY = 'feed.chat.device';
const SEQ_KEY = 'feed.chat.clientSeq';
const RETRY_MS = 3000;

export const events = new EventTarget();
const emit = (what, detail) => events.dispatchEvent(new CustomEvent('change', { detail: { what, ...detail } }));

export const state = {
  myId: null,
  connected: false,
  conversations: new Map(), // id → list item from /api/im/conversations (kept current by frames)
  messages: new Map(), // id → {bySeq: Map(seq → message), oldest, hasOlder, loaded}
  outbox: [], // {client_seq, conversation, to?, group?, text, ts, state, error?}
  presence: new Map(), // user id → {online, last_active}
  open: null, // the conversation on screen, if any
};

let sock = null;
let starting = null;
const ackTimers = new Map();
const ackUpTo = new Map();

/** A device id of the allowed alphabet, kept for this browser. */
export function deviceId() {
  let id = localStorage.getItem(DEVICE_KEY);
  if (!id || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
    const rnd = crypto.getRandomValues(new Uint8Array(9));
    id = `web-${[...rnd].map((b) => b.toString(36).padStart(2, '0')).join('').slice(0, 16)}`;
    localStorage.setItem(DEVICE_KEY, id);
  }
  return id;
}

/** client_seq only grows for this device; read-increment-write right before each send. */
function nextClientSeq() {
  const n = (Number(localStorage.getItem(SEQ_KEY)) || 0) + 1;
  localStorage.setItem(SEQ_KEY, String(n));
  return n;
}

const outboxKey = () => `feed.chat.outbox.${state.myId}`;
function saveOutbox() {
  const pending = state.outbox.filter((m) => m.state === 'sending');
  if (pending.length) localStorage.setItem(outboxKey(), JSON.stringify(pending));
  else localStorage.removeItem(outboxKey());
}

/** 1:1 conversation id: the smaller id first, compared as numbers (ids exceed 2^53, so BigInt). */
export function directId(a, b) {
  const [x, y] = BigInt(a) < BigInt(b) ? [a, b] : [b, a];
  return `d:${x}:${y}`;
}

export function peerOf(conversation) {
  const m = /^d:(\d+):(\d+)$/.exec(conversation || '');
  if (!m) return null;
  return m[1] === state.myId ? m[2] : m[1];
}

// Conversation ids are "d:<id>:<id>" or "g:<id>"; the colons stay readable in the path.
const convPath = (id) => `/api/im/conversations/${encodeURIComponent(id).replace(/%3A/gi, ':')}`;

export function thread(id) {
  let t = state.messages.get(id);
  if (!t) { t = { bySeq: new Map(), oldest: null, hasOlder: true, loaded: false }; state.messages.set(id, t); }
  return t;
}

export const lastSeq = (id) => {
  const t = state.messages.get(id);
  if (!t || !t.bySeq.size) return 0;
  return Math.max(...t.bySeq.keys());
};

function store(m, how) {
  const t = thread(m.conversation);
  if (t.bySeq.has(m.seq)) return false; // a re-sent frame repeats its seq: drop it
  t.bySeq.set(m.seq, { ...m, state: how });
  if (t.oldest === null || m.seq < t.oldest) t.oldest = m.seq;
  const c = state.conversations.get(m.conversation);
  if (c && m.seq >= (c.max_seq || 0)) {
    c.max_seq = m.seq;
    c.last_message = { msg_id: m.msg_id, conversation: m.conversation, seq: m.seq, from: m.from, text: m.text, ts: m.ts };
  }
  return true;
}

// Acks are cumulative per conversation; one per 50 ms is enough however many frames arrive.
function ack(conversation, seq) {
  if (seq > (ackUpTo.get(conversation) || 0)) ackUpTo.set(conversation, seq);
  if (ackTimers.has(conversation)) return;
  ackTimers.set(conversation, setTimeout(() => {
    ackTimers.delete(conversation);
    if (sock) sock.send({ type: 'ack', conversation, seq: ackUpTo.get(conversation) });
  }, 50));
}

function onChat(f) {
  const mine = String(f.from) === state.myId;
  const isNew = store(f, mine ? 'sent' : 'received');
  ack(f.conversation, f.seq);
  if (!isNew) return;
  const c = state.conversations.get(f.conversation);
  if (!c) { refreshConversations(); return; }
  if (!mine && f.seq > (c.read_seq || 0)) c.unread = Math.max(0, (c.max_seq || f.seq) - (c.read_seq || 0));
  emit('message', { conversation: f.conversation });
}

function onSent(f) {
  const m = state.outbox.find((o) => o.client_seq === f.client_seq);
  if (m) {
    state.outbox.splice(state.outbox.indexOf(m), 1);
    saveOutbox();
    store({ msg_id: f.msg_id, conversation: f.conversation, seq: f.seq, from: state.myId, text: m.text, ts: m.ts }, 'sent');
  }
  const c = state.conversations.get(f.conversation);
  if (c) {
    // My own message is read by me.
    if (f.seq > (c.read_seq || 0)) c.read_seq = f.seq;
    c.unread = Math.max(0, (c.max_seq || 0) - c.read_seq);
  } else {
    refreshConversations();
  }
  emit('sent', { conversation: f.conversation, client_seq: f.client_seq });
}

function onError(f) {
  if (f.client_seq == null) { emit('error', { status: f.status, detail: f.detail }); return; }
  const m = state.outbox.find((o) => o.client_seq === f.client_seq);
  if (!m) return;
  if (f.status === 429 || f.status === 503) {
    // Maybe stored (503) or not (429): the same client_seq again is stored once either way.
    setTimeout(() => { if (m.state === 'sending' && sock) sock.send(frameOf(m)); }, RETRY_MS * (0.7 + Math.random() * 0.6));
    return;
  }
  m.state = 'failed';
  m.error = f.status === 413 ? 'Too long to send.' : f.status === 403 ? 'You are not in this conversation.'
    : f.status === 404 ? 'No such user or group.' : (f.detail || 'Not sent.');
  saveOutbox();
  emit('failed', { conversation: m.conversation, client_seq: m.client_seq });
}

function onFrame(f) {
  switch (f.type) {
    case 'chat': onChat(f); break;
    case 'sent': onSent(f); break;
    case 'batch': (f.items || []).forEach((it) => { if (it && it.type && it.type !== 'batch') onFrame(it); }); break;
    case 'synced':
      // More stored than one page: keep asking from where this connection now stands.
      if (f.has_more && state.open === f.conversation && sock) sock.send({ type: 'sync', conversation: f.conversation, after_seq: f.up_to_seq });
      break;
    case 'read': {
      const c = state.conversations.get(f.conversation);
      if (c) { c.read_seq = f.read_seq; c.unread = f.unread; emit('read', { conversation: f.conversation }); }
      break;
    }
    case 'presence':
      state.presence.set(String(f.user), { online: !!f.online, last_active: f.last_active });
      emit('presence', { user: String(f.user) });
      break;
    case 'error': onError(f); break;
    default: break;
  }
}

function frameOf(m) {
  const f = { type: 'chat', client_seq: m.client_seq, text: m.text };
  if (m.group) f.group = m.group; else f.to = m.to;
  return f;
}

function onOpen() {
  state.connected = true;
  // Unacknowledged sends go again with their client_seq: the server stores each once.
  for (const m of state.outbox) if (m.state === 'sending') sock.send(frameOf(m));
  if (state.open && state.messages.get(state.open)?.loaded) {
    sock.send({ type: 'sync', conversation: state.open, after_seq: lastSeq(state.open) });
  }
  emit('connection');
}

/** Starts the shared socket once per session; later calls return the same promise. */
export function startChat() {
  if (!starting) {
    starting = me().then((u) => {
      state.myId = String(u.id);
      try { state.outbox = JSON.parse(localStorage.getItem(outboxKey()) || '[]'); } catch { state.outbox = []; }
      sock = connect({
        device: deviceId(),
        onOpen,
        onFrame,
        onState: (s, info) => {
          if (s !== 'open') state.connected = false;
          emit('connection', { state: s, ms: info && info.ms });
        },
      });
      refreshConversations();
    }).catch((err) => { starting = null; throw err; });
  }
  return starting;
}

export function stopChat() {
  if (sock) sock.close();
  sock = null;
  starting = null;
  ackTimers.forEach(clearTimeout);
  ackTimers.clear();
  ackUpTo.clear();
  Object.assign(state, { myId: null, connected: false, open: null, outbox: [] });
  state.conversations.clear();
  state.messages.clear();
  state.presence.clear();
}

let refreshing = null;
export function refreshConversations() {
  if (refreshing) return refreshing;
  refreshing = api('/api/im/conversations?size=100').then((page) => {
    for (const c of page.items || []) {
      const known = state.conversations.get(c.conversation);
      // Keep what frames taught us if it is newer than the listing.
      if (known && (known.max_seq || 0) > (c.max_seq || 0)) continue;
      state.conversations.set(c.conversation, c);
    }
    emit('conversations');
  }).finally(() => { refreshing = null; });
  return refreshing;
}

/** Newest page first, then older pages on demand; merged with whatever frames already brought. */
export async function loadHistory(conversation, { older = false } = {}) {
  const t = thread(conversation);
  const before = older && t.oldest ? t.oldest : undefined;
  let page;
  try {
    page = await api(`${convPath(conversation)}/messages${qs({ before_seq: before, size: 30 })}`);
  } catch (err) {
    // A 1:1 conversation nobody has written in yet has no history.
    if (err.status === 403 || err.status === 404) { if (!older) { t.loaded = true; t.hasOlder = false; } emit('history', { conversation }); return; }
    throw err;
  }
  for (const m of page.items || []) store(m, String(m.from) === state.myId ? 'sent' : 'received');
  t.hasOlder = !!page.has_more; // the direction paged is always "older" here
  const wasLoaded = t.loaded;
  t.loaded = true;
  // Anything pushed between the page and now is covered by sync from the page's end.
  if (!wasLoaded && sock) sock.send({ type: 'sync', conversation, after_seq: lastSeq(conversation) });
  emit('history', { conversation });
}

/** Sends at once and shows it as "sending…" until the server's `sent` names its client_seq. */
export function sendMessage(conversation, text) {
  const m = { client_seq: nextClientSeq(), conversation, text, ts: Date.now(), state: 'sending' };
  if (conversation.startsWith('g:')) m.group = conversation.slice(2);
  else m.to = peerOf(conversation);
  state.outbox.push(m);
  saveOutbox();
  if (sock) sock.send(frameOf(m));
  emit('sending', { conversation });
  return m;
}

export function discard(clientSeq) {
  state.outbox = state.outbox.filter((m) => m.client_seq !== clientSeq);
  saveOutbox();
  emit('discard', {});
}

/** Moves my read cursor to the newest message I have, if it is ahead of the server's. */
export async function markRead(conversation) {
  const c = state.conversations.get(conversation);
  const seq = lastSeq(conversation);
  if (!seq || (c && (c.read_seq || 0) >= seq)) return;
  if (c) { c.read_seq = seq; c.unread = Math.max(0, (c.max_seq || seq) - seq); }
  emit('read', { conversation });
  try {
    await api(`${convPath(conversation)}/read`, { method: 'POST', body: { seq } });
  } catch { /* the next read or listing sets it right */ }
}

export async function refreshPresence(ids) {
  const list = [...new Set(ids.filter(Boolean))].slice(0, 100);
  if (!list.length) return;
  const answer = await api(`/api/im/presence?ids=${list.join(',')}`);
  for (const [id, p] of Object.entries(answer || {})) state.presence.set(id, p);
  emit('presence', {});
}

export const totalUnread = () => [...state.conversations.values()].reduce((n, c) => n + (c.unread || 0), 0);
