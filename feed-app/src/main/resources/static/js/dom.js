// Small DOM helpers. Everything user-supplied goes in as text nodes, never as HTML.

/** h('a', {href, class, dataset:{...}, onclick}, ...children) */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'dataset') { for (const [dk, dv] of Object.entries(v)) if (dv !== undefined && dv !== null) el.dataset[dk] = dv; }
      else if (k === 'testid') el.dataset.testid = v;
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k in el && typeof v !== 'string') el[k] = v;
      else el.setAttribute(k, v === true ? '' : v);
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

export const $ = (sel, root = document) => root.querySelector(sel);

/** Characters as the server counts them (code points, not UTF-16 units). */
export const charCount = (s) => [...(s || '')].length;

const rtf = typeof Intl !== 'undefined' && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }) : null;

export function relTime(value) {
  const t = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(t)) return '';
  const s = Math.round((t - Date.now()) / 1000);
  const a = Math.abs(s);
  const [n, unit] = a < 45 ? [0, 'second'] : a < 3600 ? [Math.round(s / 60), 'minute'] : a < 86400 ? [Math.round(s / 3600), 'hour']
    : a < 86400 * 30 ? [Math.round(s / 86400), 'day'] : a < 86400 * 365 ? [Math.round(s / 86400 / 30), 'month'] : [Math.round(s / 86400 / 365), 'year'];
  if (unit === 'second') return 'just now';
  return rtf ? rtf.format(n, unit) : `${Math.abs(n)} ${unit}${Math.abs(n) === 1 ? '' : 's'} ago`;
}

export function timeEl(value) {
  const t = typeof value === 'number' ? new Date(value) : new Date(value);
  const ok = !Number.isNaN(t.getTime());
  return h('time', { datetime: ok ? t.toISOString() : undefined, title: ok ? t.toLocaleString() : undefined }, relTime(value));
}

let statusTimer;
/** Polite announcement through the one live region; cleared after a while so repeats are re-announced. */
export function announce(msg) {
  const el = document.getElementById('status');
  if (!el) return;
  el.textContent = '';
  clearTimeout(statusTimer);
  requestAnimationFrame(() => {
    el.textContent = msg;
    statusTimer = setTimeout(() => { el.textContent = ''; }, 8000);
  });
}

export function showError(msg) {
  const el = document.getElementById('page-error');
  if (!el) return;
  el.textContent = msg || '';
  el.hidden = !msg;
}

export const clearError = () => showError('');

export function debounce(fn, ms) {
  let t;
  const d = (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
  d.cancel = () => clearTimeout(t);
  return d;
}

/** A live "n / max" counter for a text field. */
export function counter(input, max) {
  const out = h('span', { class: 'counter', 'aria-live': 'off' });
  const update = () => {
    const n = charCount(input.value);
    out.textContent = `${n} / ${max}`;
    out.classList.toggle('over', n > max);
  };
  input.addEventListener('input', update);
  update();
  out.update = update;
  return out;
}

/**
 * Field error slots are created only while there is an error, so a test (or a screen reader)
 * never finds empty ones.
 */
export function setFieldError(field, msg) {
  const wrap = field.closest('.field') || field.parentElement;
  let el = wrap.querySelector(':scope > .field-error');
  const id = `${field.id || field.name}-error`;
  if (!msg) {
    if (el) el.remove();
    field.removeAttribute('aria-invalid');
    field.removeAttribute('aria-describedby');
    return;
  }
  if (!el) {
    el = h('p', { class: 'field-error', testid: 'field-error', id });
    wrap.append(el);
  }
  el.textContent = msg;
  field.setAttribute('aria-invalid', 'true');
  field.setAttribute('aria-describedby', id);
}

/** A text field with its label; returns [wrapper, input]. */
export function field(label, input, ...extra) {
  const wrap = h('div', { class: 'field' }, h('label', { for: input.id }, label), input, ...extra);
  return [wrap, input];
}

export function busy(button, on) {
  button.disabled = on;
  button.setAttribute('aria-busy', on ? 'true' : 'false');
}
