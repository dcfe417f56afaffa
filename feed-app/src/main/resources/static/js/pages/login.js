import { api, errorText, isAbort, session } from '../api.js';
import { announce, busy, field, h, setFieldError, showError } from '../dom.js';
import { forgetUsers } from '../users.js';

export function render(root, route, signal) {
  const phone = h('input', { id: 'login-phone', name: 'phone', type: 'tel', inputmode: 'tel', autocomplete: 'tel', required: true, maxlength: 32, testid: 'login-phone' });
  const code = h('input', { id: 'login-code', name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', required: true, maxlength: 12, testid: 'login-code' });
  const nickname = h('input', { id: 'login-nickname', name: 'nickname', autocomplete: 'nickname', maxlength: 50, testid: 'login-nickname' });
  const hint = h('span', { class: 'hint', testid: 'login-hint', hidden: true });
  const sendCode = h('button', { type: 'button', class: 'secondary' }, 'Send code');
  const submit = h('button', { type: 'submit', testid: 'login-submit' }, 'Log in');

  const codeRow = h('div', { class: 'inline' }, code, sendCode);
  const form = h('form', { class: 'stack narrow', novalidate: true },
    field('Phone number', phone)[0],
    h('div', { class: 'field' }, h('label', { for: 'login-code' }, 'Login code ', hint), codeRow),
    field('Nickname (optional, for a new account)', nickname)[0],
    submit);

  root.append(h('h1', null, 'Log in'), form);

  // The demo profile answers with its fixed code; elsewhere 404, and then there is nothing to show.
  api('/api/auth/hint', { auth: false, signal }).then((r) => {
    if (r && r.code) { hint.textContent = `(demo code: ${r.code})`; hint.hidden = false; }
  }).catch(() => {});

  const phoneOk = () => {
    const v = phone.value.trim();
    const bad = !v ? 'Enter your phone number.' : !/^\+?\d{6,15}$/.test(v) ? 'A phone number is 6 to 15 digits, optionally with a leading +.' : '';
    setFieldError(phone, bad);
    return !bad;
  };

  sendCode.addEventListener('click', async () => {
    showError('');
    if (!phoneOk()) { phone.focus(); return; }
    busy(sendCode, true);
    try {
      await api('/api/auth/code', { method: 'POST', body: { phone: phone.value.trim() }, auth: false, signal });
      announce('A login code is on its way');
      code.focus();
    } catch (err) {
      if (!isAbort(err)) setFieldError(/^phone/i.test(err.detail || '') ? phone : code, errorText(err));
    } finally {
      busy(sendCode, false);
    }
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    showError('');
    const okPhone = phoneOk();
    const badCode = code.value.trim() ? '' : 'Enter the code you received.';
    setFieldError(code, badCode);
    if (!okPhone || badCode) { (okPhone ? code : phone).focus(); return; }
    busy(submit, true);
    try {
      const body = { phone: phone.value.trim(), code: code.value.trim() };
      if (nickname.value.trim()) body.nickname = nickname.value.trim();
      const r = await api('/api/auth/login', { method: 'POST', body, auth: false, signal });
      forgetUsers();
      session.set(r.token);
      announce(`Welcome${r.user && r.user.nickname ? `, ${r.user.nickname}` : ''}`);
      const back = sessionStorage.getItem('feed.returnTo');
      sessionStorage.removeItem('feed.returnTo');
      location.hash = back && back.startsWith('#/') && !back.startsWith('#/login') ? back : '#/timeline';
    } catch (err) {
      if (isAbort(err)) return;
      const msg = errorText(err);
      if (/^phone/i.test(err.detail || '')) setFieldError(phone, msg);
      else if (/^nickname/i.test(err.detail || '')) setFieldError(nickname, msg);
      else if (err.status === 400 || err.status === 401 || err.status === 403 || /code/i.test(err.detail || '')) setFieldError(code, msg);
      else showError(msg);
    } finally {
      busy(submit, false);
    }
  });

  phone.focus();
}
