import { api, errorText, isAbort, uuid, withRetry } from '../api.js';
import { announce, busy, charCount, counter, h, setFieldError, showError } from '../dom.js';

const MAX_TITLE = 200;
const MAX_TEXT = 10000;
const MAX_MEDIA = 20;
const MAX_URL = 1024;

function urlProblem(u, what) {
  if (u.length > MAX_URL) return `${what} is longer than ${MAX_URL} characters.`;
  if (/\s/.test(u)) return `${what} must not contain spaces.`;
  let parsed;
  try { parsed = new URL(u); } catch { return `${what} is not a valid URL.`; }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:' || !parsed.hostname) return `${what} must start with http:// or https://.`;
  return '';
}

export function render(root, route, signal) {
  const radio = (value, label, testid) => h('label', { class: 'choice' },
    h('input', { type: 'radio', name: 'type', value, testid, checked: value === 'VIDEO' }), ` ${label}`);
  const typeSet = h('fieldset', { class: 'field', id: 'compose-type' }, h('legend', null, 'Type'),
    radio('VIDEO', 'Video', 'compose-type-video'), radio('IMAGE', 'Images', 'compose-type-image'));

  const title = h('input', { id: 'compose-title', name: 'title', maxlength: MAX_TITLE, required: true, testid: 'compose-title', autocomplete: 'off' });
  const text = h('textarea', { id: 'compose-text', name: 'text', rows: 6, maxlength: MAX_TEXT, testid: 'compose-text' });
  const media = h('textarea', { id: 'compose-media', name: 'media', rows: 4, required: true, testid: 'compose-media', spellcheck: 'false', 'aria-describedby': 'compose-media-help', placeholder: 'https://example.com/clip.mp4' });
  const cover = h('input', { id: 'compose-cover', name: 'cover', type: 'url', testid: 'compose-cover', spellcheck: 'false', placeholder: 'https://example.com/cover.jpg' });
  const submit = h('button', { type: 'submit', testid: 'compose-submit' }, 'Publish');

  const fields = { type: typeSet, title, text, media, cover };
  const wrap = (label, input, ...extra) => h('div', { class: 'field' }, h('label', { for: input.id }, label), input, ...extra);
  const form = h('form', { class: 'stack', novalidate: true },
    typeSet,
    wrap('Title', title, counter(title, MAX_TITLE)),
    wrap('Text (optional)', text, counter(text, MAX_TEXT)),
    wrap('Media URLs, one per line', media, h('p', { class: 'help', id: 'compose-media-help' }, `1 to ${MAX_MEDIA} http(s) links. A video post plays the first one.`)),
    wrap('Cover image URL (optional)', cover),
    submit);
  root.append(h('h1', null, 'New post'), form);

  const type = () => form.querySelector('input[name=type]:checked').value;
  const mediaUrls = () => media.value.split('\n').map((s) => s.trim()).filter(Boolean);

  function validate() {
    const errors = {};
    const t = title.value;
    if (!t.trim()) errors.title = 'Give the post a title.';
    else if (charCount(t) > MAX_TITLE) errors.title = `The title is longer than ${MAX_TITLE} characters.`;
    if (charCount(text.value) > MAX_TEXT) errors.text = `The text is longer than ${MAX_TEXT} characters.`;
    const urls = mediaUrls();
    if (urls.length === 0) errors.media = 'Add at least one media URL.';
    else if (urls.length > MAX_MEDIA) errors.media = `At most ${MAX_MEDIA} media URLs.`;
    else {
      for (let i = 0; i < urls.length && !errors.media; i++) {
        const p = urlProblem(urls[i], urls.length > 1 ? `Line ${i + 1}` : 'The URL');
        if (p) errors.media = p;
      }
    }
    if (cover.value.trim()) {
      const p = urlProblem(cover.value.trim(), 'The cover URL');
      if (p) errors.cover = p;
    }
    return errors;
  }

  function show(errors) {
    for (const [name, el] of Object.entries(fields)) setFieldError(el, errors[name] || '');
    const first = Object.keys(fields).find((n) => errors[n]);
    if (first) (first === 'type' ? typeSet.querySelector('input') : fields[first]).focus();
  }

  // Re-check a field as soon as it is left, so the message clears once it is fixed.
  for (const [name, el] of Object.entries(fields)) {
    if (name === 'type') continue;
    el.addEventListener('blur', () => { if (el.getAttribute('aria-invalid')) setFieldError(el, validate()[name] || ''); });
  }

  // One key per submission: the same body retried (by us or by a second click) is stored once.
  let key = null;
  let keyedBody = null;

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    showError('');
    const errors = validate();
    show(errors);
    if (Object.keys(errors).length) return;
    const body = { type: type(), title: title.value.trim(), media: mediaUrls() };
    if (text.value.trim()) body.text = text.value;
    if (cover.value.trim()) body.cover = cover.value.trim();
    const json = JSON.stringify(body);
    if (json !== keyedBody) { key = uuid(); keyedBody = json; }
    busy(submit, true);
    submit.textContent = 'Publishing…';
    try {
      const post = await withRetry(() => api('/api/posts', { method: 'POST', body, headers: { 'Idempotency-Key': key }, signal }), { signal });
      key = null;
      keyedBody = null;
      announce('Published');
      location.hash = `#/post/${encodeURIComponent(post.id)}`;
    } catch (err) {
      if (isAbort(err)) return;
      const msg = errorText(err);
      const m = /^\s*(title|text|media|cover|type)\b/i.exec(err.detail || '');
      if (m) show({ [m[1].toLowerCase()]: msg });
      else showError(msg);
    } finally {
      busy(submit, false);
      submit.textContent = 'Publish';
    }
  });
}
