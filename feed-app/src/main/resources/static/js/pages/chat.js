import { errorText, isAbort } from '../api.js';
import { announce, busy, charCount, h, relTime, setFieldError, showError, timeEl } from '../dom.js';
import * as chat from '../chat.js';
import { profile, userName } from '../users.js';

const MAX_CHAT = 10000;
const PRESENCE_MS = 30000;
const CONVERSATION = /^(d:\d+:\d+|g:\d+)$/;

// The nav badge follows the shared socket on every page, not only while this one is open.
chat.events.addEventListener('change', () => {
  const badge = document.getElementById('nav-chat-badge');
  if (!badge) return;
  const n = chat.totalUnread();
  badge.hidden = n === 0;
  badge.textContent = n > 99 ? '99+' : String(n);
  badge.setAttribute('aria-label', `${n} unread`);
});

const ERRORS = { 429: "You're sending too fast. Wait a moment.", 400: 'That message was not accepted.', 403: 'You are not in that conversation.', 404: 'No such user or group.' };

function nameOf(c, id) {
  if (c && c.kind === 'group') return (c.group && c.group.name) || `Group ${id.slice(2)}`;
  if (c && c.peer && c.peer.nickname) return c.peer.nickname;
  const peer = chat.peerOf(id);
  return peer ? `User ${peer}` : id;
}

function presenceDot(userId) {
  if (!userId) return null;
  const p = chat.state.presence.get(String(userId));
  const online = !!(p && p.online);
  const words = online ? 'online' : p && p.last_active ? `last active ${relTime(p.last_active)}` : 'offline';
  return h('span', { class: `dot ${online ? 'online' : 'offline'}`, title: words, testid: 'presence-dot', dataset: { online: String(online) } },
    h('span', { class: 'visually-hidden' }, `(${words})`));
}

export function render(root, route, signal) {
  const open = CONVERSATION.test(route.arg) ? route.arg : null;
  const heading = h('h1', null, 'Chat');
  const connection = h('p', { class: 'muted small', testid: 'chat-status' }, 'Connecting…');
  const list = h('ul', { class: 'conversations', 'aria-label': 'Conversations' });
  const emptyList = h('p', { class: 'empty', hidden: true }, 'No conversations yet. Start one with a user id.');

  const newUser = h('input', { id: 'chat-new-user', name: 'user', inputmode: 'numeric', autocomplete: 'off', testid: 'chat-new-user', placeholder: 'User id' });
  const newStart = h('button', { type: 'submit', testid: 'chat-new-start' }, 'Start');
  const newForm = h('form', { class: 'field', novalidate: true },
    h('label', { for: 'chat-new-user' }, 'New chat with user id'), h('div', { class: 'inline' }, newUser, newStart));

  const pane = h('section', { class: 'thread-pane', 'aria-label': 'Conversation' });
  const grid = h('div', { class: `chat-grid${open ? ' has-thread' : ''}` },
    h('aside', { class: 'conv-pane' }, newForm, list, emptyList), pane);
  root.append(h('div', { class: 'page-head' }, heading, connection), grid);

  newForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    await chat.startChat().catch(() => {});
    const id = newUser.value.trim();
    const bad = !/^\d{1,20}$/.test(id) ? 'Enter a user id (digits).' : id === chat.state.myId ? 'That is you.' : '';
    setFieldError(newUser, bad);
    if (bad) return;
    busy(newStart, true);
    try {
      const u = await profile(id);
      const conv = chat.directId(chat.state.myId, id);
      if (!chat.state.conversations.has(conv)) {
        chat.state.conversations.set(conv, { conversation: conv, kind: 'direct', peer: { id: String(u.id), nickname: u.nickname }, last_message: null, max_seq: 0, read_seq: 0, unread: 0 });
      }
      newUser.value = '';
      location.hash = `#/chat/${conv}`;
    } catch (err) {
      if (!isAbort(err)) setFieldError(newUser, err.status === 404 ? 'No user with that id.' : errorText(err));
    } finally {
      busy(newStart, false);
    }
  });

  // --- conversation list ---
  function drawList() {
    const items = [...chat.state.conversations.values()].sort((a, b) =>
      ((b.last_message && b.last_message.ts) || 0) - ((a.last_message && a.last_message.ts) || 0));
    list.replaceChildren(...items.map((c) => {
      const id = c.conversation;
      const unread = id === open && document.visibilityState === 'visible' ? 0 : c.unread || 0;
      const last = c.last_message;
      return h('li', null, h('a', {
        href: `#/chat/${id}`, class: 'conversation', testid: 'chat-conversation', dataset: { conversation: id },
        'aria-current': id === open ? 'page' : undefined,
      },
      c.kind === 'direct' ? presenceDot(c.peer && c.peer.id) : h('span', { class: 'dot group', 'aria-hidden': 'true' }),
      h('span', { class: 'conv-text' }, h('strong', null, nameOf(c, id)),
        h('span', { class: 'preview' }, last ? `${String(last.from) === chat.state.myId ? 'You: ' : ''}${last.text}` : 'No messages yet')),
      unread > 0 ? h('span', { class: 'badge', testid: 'chat-unread', 'aria-label': `${unread} unread` }, String(unread)) : null));
    }));
    emptyList.hidden = items.length > 0;
  }

  // --- thread ---
  let messages = null;
  let olderBtn = null;
  let titleEl = null;
  let input = null;
  if (open) {
    const c = chat.state.conversations.get(open);
    titleEl = h('h2', { id: 'thread-title' }, nameOf(c, open));
    olderBtn = h('button', { type: 'button', class: 'more', hidden: true, testid: 'chat-older' }, 'Older messages');
    messages = h('ol', { class: 'messages', 'aria-labelledby': 'thread-title', tabindex: '0' });
    input = h('textarea', { id: 'chat-input', name: 'text', rows: 2, maxlength: MAX_CHAT, testid: 'chat-input', enterkeyhint: 'send' });
    const send = h('button', { type: 'submit', testid: 'chat-send' }, 'Send');
    const form = h('form', { class: 'chat-form', novalidate: true },
      h('div', { class: 'field grow' }, h('label', { for: 'chat-input', class: 'visually-hidden' }, 'Message'), input), send);
    pane.append(h('div', { class: 'thread-head' }, h('a', { href: '#/chat', class: 'back' }, '← All chats'), titleEl, h('span', { class: 'thread-presence' })),
      olderBtn, messages, form);

    input.addEventListener('keydown', (e) => {
      // Enter sends, Shift+Enter is a new line; not while an IME is composing Chinese text.
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); form.requestSubmit(); }
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const text = input.value;
      const bad = !text.trim() ? '' : charCount(text) > MAX_CHAT ? `A message is at most ${MAX_CHAT} characters.` : '';
      setFieldError(input, bad);
      if (!text.trim() || bad) return;
      chat.sendMessage(open, text);
      input.value = '';
      stickToBottom = true;
    });
    olderBtn.addEventListener('click', async () => {
      busy(olderBtn, true);
      const fromBottom = messages.scrollHeight - messages.scrollTop;
      try {
        await chat.loadHistory(open, { older: true });
        messages.scrollTop = messages.scrollHeight - fromBottom; // keep the reader's place
      } catch (err) { showError(errorText(err)); } finally { busy(olderBtn, false); }
    });
  } else {
    pane.append(h('p', { class: 'empty' }, 'Pick a conversation, or start a new one with a user id.'));
  }

  let stickToBottom = true;
  function drawThread() {
    if (!open) return;
    const c = chat.state.conversations.get(open);
    titleEl.textContent = nameOf(c, open);
    const peer = chat.peerOf(open);
    pane.querySelector('.thread-presence').replaceChildren(presenceDot(peer) || '');
    const t = chat.thread(open);
    const near = messages.scrollHeight - messages.scrollTop - messages.clientHeight < 80;
    const rows = [...t.bySeq.values()].sort((a, b) => a.seq - b.seq).map((m) => bubble(m, m.state));
    const pending = chat.state.outbox.filter((m) => m.conversation === open).map((m) => bubble(m, m.state));
    messages.replaceChildren(...rows, ...pending);
    if (!rows.length && !pending.length && t.loaded) messages.append(h('li', { class: 'empty' }, 'No messages yet. Say hello.'));
    olderBtn.hidden = !(t.loaded && t.hasOlder && t.bySeq.size);
    if (near || stickToBottom) messages.scrollTop = messages.scrollHeight;
    stickToBottom = false;
  }

  function bubble(m, st) {
    const mine = String(m.from) === chat.state.myId || st === 'sending' || st === 'failed';
    const note = st === 'sending' ? 'sending…' : st === 'failed' ? `not sent: ${m.error || ''}` : st === 'sent' ? 'sent' : '';
    return h('li', { class: `msg ${mine ? 'mine' : 'theirs'} ${st}`, testid: 'chat-message', dataset: { state: st, seq: m.seq != null ? String(m.seq) : undefined, clientSeq: m.client_seq != null ? String(m.client_seq) : undefined } },
      h('p', { class: 'text' }, m.text),
      h('p', { class: 'meta' }, mine ? null : [userName(m.from), ' · '], timeEl(m.ts), note ? ` · ${note}` : '',
        st === 'failed' ? h('button', { type: 'button', class: 'link-button', onclick: () => chat.discard(m.client_seq) }, 'Discard') : null));
  }

  function maybeRead() {
    if (open && document.visibilityState === 'visible' && chat.thread(open).loaded) chat.markRead(open);
  }

  let scheduled = 0;
  const redraw = () => {
    if (scheduled) return;
    scheduled = requestAnimationFrame(() => { scheduled = 0; drawList(); drawThread(); });
  };

  const onChange = (e) => {
    const d = e.detail || {};
    if (d.what === 'connection') {
      connection.textContent = chat.state.connected ? '' : d.state === 'waiting' ? `Offline. Reconnecting in ${Math.ceil(d.ms / 1000)} s…` : 'Connecting…';
      if (chat.state.connected) announce('Chat connected');
    }
    if (d.what === 'error') showError(ERRORS[d.status] || d.detail || 'Something went wrong.');
    if (d.what === 'message' && d.conversation === open) maybeRead();
    redraw();
  };
  chat.events.addEventListener('change', onChange);

  const onVisible = () => { if (document.visibilityState === 'visible') { maybeRead(); redraw(); } };
  document.addEventListener('visibilitychange', onVisible);

  const peers = () => [...chat.state.conversations.values()].filter((c) => c.kind === 'direct' && c.peer).map((c) => String(c.peer.id))
    .concat(open && chat.peerOf(open) ? [chat.peerOf(open)] : []);
  const presenceTimer = setInterval(() => { if (!document.hidden) chat.refreshPresence(peers()).catch(() => {}); }, PRESENCE_MS);

  chat.state.open = open;
  chat.startChat().then(async () => {
    if (signal.aborted) return;
    connection.textContent = chat.state.connected ? '' : 'Connecting…';
    await chat.refreshConversations().catch((err) => { if (!signal.aborted) showError(errorText(err)); });
    if (signal.aborted) return;
    if (open && !chat.state.conversations.has(open) && chat.peerOf(open)) {
      const peer = chat.peerOf(open);
      chat.state.conversations.set(open, { conversation: open, kind: 'direct', peer: { id: peer, nickname: null }, last_message: null, max_seq: 0, read_seq: 0, unread: 0 });
      profile(peer).then((u) => { chat.state.conversations.get(open).peer.nickname = u.nickname; redraw(); }).catch(() => {});
    }
    redraw();
    chat.refreshPresence(peers()).catch(() => {});
    if (open && !chat.thread(open).loaded) {
      await chat.loadHistory(open).catch((err) => { if (!signal.aborted) showError(errorText(err)); });
    }
    stickToBottom = true;
    redraw();
    maybeRead();
    if (open && input) input.focus();
  }).catch((err) => { if (!isAbort(err)) showError(errorText(err)); });

  redraw();
  return () => {
    chat.state.open = null;
    chat.events.removeEventListener('change', onChange);
    document.removeEventListener('visibilitychange', onVisible);
    clearInterval(presenceTimer);
    if (scheduled) cancelAnimationFrame(scheduled);
  };
}
