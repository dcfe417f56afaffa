// A WebSocket that stays up: asks /api/gateway where to connect, falls back to the app's own /ws
// when the gateway port can't be reached, pings every 25 s (the server drops connections silent
// for 60 s), and reconnects with jittered exponential backoff so a restart of the server is not
// met by every client at the same instant.

import { api, session } from './api.js';

const PING_MS = 25000;
const BACKOFF_MIN = 1000;
const BACKOFF_MAX = 30000;

export const backoff = (attempt) => Math.min(BACKOFF_MAX, BACKOFF_MIN * 2 ** attempt) * (0.7 + Math.random() * 0.6);

/**
 * connect({device, onOpen, onFrame, onState}) → {send(frame) → bool, close(), reconnectNow()}
 * onState(state, info): 'connecting' | 'open' | 'waiting' (info.ms until the next try) | 'closed'
 */
export function connect({ device, onOpen, onFrame, onState = () => {} }) {
  let ws = null;
  let stopped = false;
  let attempt = 0;
  let retryTimer = 0;
  let pingTimer = 0;
  let preferFallback = false;

  function urlFor(base) {
    const u = new URL(base, location.href);
    if (u.protocol === 'http:') u.protocol = 'ws:';
    if (u.protocol === 'https:') u.protocol = 'wss:';
    u.searchParams.set('token', session.token || '');
    if (device) u.searchParams.set('device', device);
    return u.toString();
  }

  // Resolves with an open socket or null; never rejects.
  function tryOpen(url) {
    return new Promise((resolve) => {
      let sock;
      try { sock = new WebSocket(url); } catch { resolve(null); return; }
      const fail = () => { cleanup(); try { sock.close(); } catch { /* already closed */ } resolve(null); };
      const ok = () => { cleanup(); resolve(sock); };
      const timer = setTimeout(fail, 8000);
      function cleanup() { clearTimeout(timer); sock.removeEventListener('open', ok); sock.removeEventListener('error', fail); sock.removeEventListener('close', fail); }
      sock.addEventListener('open', ok);
      sock.addEventListener('error', fail);
      sock.addEventListener('close', fail);
    });
  }

  let connecting = false;
  async function open() {
    if (stopped || connecting) return;
    connecting = true;
    try { await attemptOpen(); } finally { connecting = false; }
  }

  async function attemptOpen() {
    clearTimeout(retryTimer);
    onState('connecting');
    let where;
    try {
      // Asked on every attempt: it also tells us (with a 401) when the token stopped being valid.
      where = await api('/api/gateway');
    } catch (err) {
      if (err && err.status === 401) { stop(); return; }
      where = { url: '/ws', fallback: '/ws' };
    }
    if (stopped) return;
    const order = [where.url, where.fallback].filter(Boolean);
    if (preferFallback) order.reverse();
    let sock = null;
    for (let i = 0; i < order.length && !sock && !stopped; i++) {
      if (i > 0 && order[i] === order[i - 1]) continue;
      sock = await tryOpen(urlFor(order[i]));
      if (sock && i > 0) preferFallback = !preferFallback; // remember which one works from here
    }
    if (stopped) { if (sock) sock.close(1000); return; }
    if (!sock) { schedule(); return; }
    ws = sock;
    attempt = 0;
    sock.addEventListener('message', (e) => {
      let frame;
      try { frame = JSON.parse(e.data); } catch { return; }
      if (frame && typeof frame === 'object') onFrame(frame);
    });
    sock.addEventListener('close', () => {
      if (ws !== sock) return;
      ws = null;
      clearInterval(pingTimer);
      schedule();
    });
    pingTimer = setInterval(() => send({ type: 'ping' }), PING_MS);
    onState('open');
    if (onOpen) onOpen();
  }

  function schedule() {
    if (stopped) return;
    const ms = backoff(attempt++);
    onState('waiting', { ms });
    retryTimer = setTimeout(open, ms);
  }

  function send(frame) {
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify(frame));
    return true;
  }

  function stop() {
    stopped = true;
    clearTimeout(retryTimer);
    clearInterval(pingTimer);
    window.removeEventListener('online', reconnectNow);
    if (ws) { const s = ws; ws = null; try { s.close(1000); } catch { /* gone */ } }
    onState('closed');
  }

  // Back online after a network loss: don't sit out the rest of a long backoff.
  function reconnectNow() {
    if (stopped || ws) return;
    attempt = 0;
    clearTimeout(retryTimer);
    open();
  }
  window.addEventListener('online', reconnectNow);

  open();
  return { send, close: stop, reconnectNow, get isOpen() { return !!ws && ws.readyState === WebSocket.OPEN; } };
}
