// The one way pages talk HTTP: bearer token, JSON both ways, problem details turned into errors
// whose text can be shown to a person as it is.

const TOKEN_KEY = 'feed.token';
const listeners = new Set();

export const session = {
  get token() { return localStorage.getItem(TOKEN_KEY); },
  set(token) { localStorage.setItem(TOKEN_KEY, token); listeners.forEach((fn) => fn(true)); },
  clear() {
    if (localStorage.getItem(TOKEN_KEY) === null) return;
    localStorage.removeItem(TOKEN_KEY);
    listeners.forEach((fn) => fn(false));
  },
  onChange(fn) { listeners.add(fn); return () => listeners.delete(fn); },
};

export class ApiError extends Error {
  constructor(status, title, detail) {
    super(detail || title || `HTTP ${status}`);
    this.status = status;
    this.title = title;
    this.detail = detail;
  }
}

// Words for when the server gave none (or gave only a status); never a stack or raw JSON.
const FALLBACK = {
  0: 'Could not reach the server. Check your connection and try again.',
  400: 'Some of what you entered is not accepted.',
  401: 'Please log in again.',
  403: 'You are not allowed to do that.',
  404: 'Not found: it may have been deleted or hidden.',
  409: 'That conflicts with something that already happened.',
  413: 'That is too large.',
  429: 'You are going too fast. Wait a moment and try again.',
  503: 'The service is busy right now. Try again in a moment.',
};

export function errorText(err) {
  if (!err) return '';
  if (err instanceof ApiError) {
    const detail = typeof err.detail === 'string' && err.detail.trim() ? err.detail.trim() : '';
    if (detail) return detail.charAt(0).toUpperCase() + detail.slice(1);
    return FALLBACK[err.status] || (err.status >= 500 ? 'Something went wrong on our side. Try again.' : (err.title || 'Request failed.'));
  }
  return 'Something went wrong. Try again.';
}

export const isAbort = (err) => err && err.name === 'AbortError';

/**
 * api(path, {method, body, headers, signal, auth}) → parsed JSON, or null for an empty answer.
 * A 401 on an authenticated call means the token is gone or expired: drop it and go to login.
 */
export async function api(path, { method = 'GET', body, headers = {}, signal, auth = true } = {}) {
  const h = { Accept: 'application/json, application/problem+json', ...headers };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  const token = session.token;
  if (auth && token) h.Authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch(path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body), signal });
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new ApiError(0, 'Network error', '');
  }
  const type = res.headers.get('content-type') || '';
  let data = null;
  if (res.status !== 204 && type.includes('json')) {
    try { data = await res.json(); } catch { data = null; }
  }
  if (!res.ok) {
    const err = new ApiError(res.status, data && data.title, data && data.detail);
    err.retryAfter = Number(res.headers.get('retry-after')) || 0;
    if (res.status === 401 && auth) {
      session.clear();
      if (!location.hash.startsWith('#/login')) {
        sessionStorage.setItem('feed.returnTo', location.hash);
        location.hash = '#/login';
      }
    }
    throw err;
  }
  return data;
}

/** Retries what is safe to retry (503, network loss) a few times; the caller keeps its idempotency key. */
export async function withRetry(fn, { attempts = 3, signal } = {}) {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      const transient = err instanceof ApiError && (err.status === 503 || err.status === 0);
      if (!transient || i >= attempts || (signal && signal.aborted)) throw err;
      const wait = (err.retryAfter ? err.retryAfter * 1000 : 1000 * 2 ** (i - 1)) * (0.8 + Math.random() * 0.4);
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

/** crypto.randomUUID is only there in secure contexts (http://<lan ip> is not one). */
export function uuid() {
  if (globalThis.crypto && crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** "?a=1&b=2" from an object, leaving out empty values. */
export function qs(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
}
