// Tenants: the list, and a form to create or edit one (credentials with secrets masked, callback URLs, scenario sets,
// settings), delete.
import { get, post, put, del, seg, ApiError } from '../api.js';
import { h, replace, table, badge, copyButton, field, select } from '../dom.js';

/** Credential fields that are secrets: shown masked, revealed on demand. The identity field never is one. */
const SECRET = /secret|password|pwd|^key$|token/i;

export default {
  id: 'tenants',
  title: 'Tenants',
  tenant: false,
  async render(ctx) {
    if (ctx.args[0] === 'new') return form(ctx, null);
    if (ctx.args[0] === 'edit') return form(ctx, await get('/tenants/' + seg(ctx.args[1])));
    return list(ctx);
  },
};

function identities(ctx) {
  return Object.fromEntries(ctx.state.suppliers.map(s => [s.name, s.identity.split('.').pop()]));
}

async function list(ctx) {
  const ids = identities(ctx);
  const body = h('div');
  const draw = () => replace(body, table([
    { title: 'Tenant', value: t => h('a', { href: '#/t/' + seg(t.id) + '/orders' }, t.id) },
    { title: 'Name', value: t => t.name || '' },
    { title: 'Credentials', value: t => Object.entries(t.credentials || {}).map(([s, c]) =>
      h('div', {}, h('span', { class: 'muted' }, s + ': '), c[ids[s]] ?? c.appKey ?? '(set)')) },
    { title: 'Callback URLs', value: t => Object.entries(t.callbacks || {}).map(([s, u]) => h('div', { class: 'mono' }, s + ' → ' + u)) },
    { title: 'Scenario sets', value: t => Object.entries(t.scenarios || {}).map(([s, v]) => s + ': ' + v).join(', ') },
    { title: 'State', value: t => t.disabled ? badge('disabled', 'bad') : badge('active', 'ok') },
    { title: '', value: t => h('span', {}, h('a', { class: 'button small', href: '#/tenants/edit/' + seg(t.id) }, 'Edit'), ' ',
      h('button', { type: 'button', class: 'small danger', onclick: () => remove(ctx, t.id) }, 'Delete')) },
  ], ctx.state.tenants, { empty: 'No tenants.' }));
  draw();
  replace(ctx.main,
    h('h1', {}, 'Tenants'),
    h('p', { class: 'hint' }, 'A tenant is one integrator: its credentials per supplier, the URL each supplier calls back, its scenario sets and settings.'),
    h('p', {}, h('a', { class: 'button primary', href: '#/tenants/new' }, 'New tenant')),
    body);
}

async function remove(ctx, id) {
  if (!confirm(`Delete tenant “${id}” and everything it did (orders, callbacks, journal, clock)?`)) return;
  try {
    await del('/tenants/' + seg(id));
    await ctx.reloadTenants();
    ctx.notify(`Tenant ${id} deleted.`);
    ctx.navigate('#/tenants');
  } catch (e) {
    ctx.notify(e.message, 'error');
  }
}

function secretInput(name, value) {
  const input = h('input', { type: 'password', value, name, 'aria-label': name, autocomplete: 'off', spellcheck: 'false' });
  const toggle = h('button', { type: 'button', class: 'small', 'aria-pressed': 'false' }, 'Show');
  toggle.addEventListener('click', () => {
    const show = input.type === 'password';
    input.type = show ? 'text' : 'password';
    toggle.textContent = show ? 'Hide' : 'Show';
    toggle.setAttribute('aria-pressed', String(show));
  });
  return { input, extra: [toggle, copyButton(() => input.value, 'Copy ' + name)] };
}

/** One credential row: scalars as text, nested values (balances, lists) as JSON. */
function credentialRow(supplier, name, value, identity) {
  const nested = value !== null && typeof value === 'object';
  const text = nested ? JSON.stringify(value) : String(value ?? '');
  const label = `credentials.${supplier}.${name}`;
  let control;
  if (!nested && name !== identity && SECRET.test(name)) control = secretInput(label, text);
  else control = { input: h('input', { type: 'text', value: text, name: label, 'aria-label': label, spellcheck: 'false', class: nested ? 'mono' : '' }),
    extra: [copyButton(() => control.input.value, 'Copy ' + label)] };
  control.input.dataset.field = name;
  control.input.dataset.json = nested ? '1' : '';
  const row = h('div', { class: 'cred-row', style: 'display:contents' },
    h('span', { class: name === identity ? '' : 'muted', title: name === identity ? 'identifies the tenant to ' + supplier : '' }, name, name === identity ? ' (identity)' : ''),
    control.input,
    h('span', {}, control.extra, ' ', h('button', { type: 'button', class: 'small', 'aria-label': 'Remove ' + label, onclick: () => row.remove() }, '✕')));
  return row;
}

async function form(ctx, tenant) {
  const editing = !!tenant;
  const t = tenant || { id: '', name: '', credentials: {}, callbacks: {}, scenarios: {}, settings: {} };
  const sets = (await get('/scenarios')).sets;
  const ids = identities(ctx);
  const suppliers = [...new Set([...ctx.state.suppliers.map(s => s.name), ...Object.keys(t.credentials || {}), ...Object.keys(t.callbacks || {})])];
  const idInput = h('input', { id: 'tenant-id', value: t.id, required: true, pattern: '[A-Za-z0-9_\\-]{1,64}', readOnly: editing, size: 24 });
  const nameInput = h('input', { id: 'tenant-name', value: t.name || '', size: 40 });
  const disabled = h('input', { type: 'checkbox', id: 'tenant-disabled', checked: !!t.disabled });
  const sections = suppliers.map(s => supplierSection(s, t, ids[s], sets.filter(x => x.supplier === s).map(x => x.name), () => idInput.value));
  const error = h('p', { role: 'alert', class: 'errors' });
  const f = h('form', { class: 'tenant-form' },
    h('h1', {}, editing ? 'Edit tenant ' + t.id : 'New tenant'),
    h('div', { class: 'row' },
      field('Id', idInput, editing ? 'fixed' : 'letters, digits, - and _'),
      field('Name', nameInput),
      h('label', { class: 'check' }, disabled, ' Disabled (suppliers answer “merchant disabled”)')),
    sections.map(x => x.el),
    error,
    h('div', { class: 'row' },
      h('button', { type: 'submit', class: 'primary' }, editing ? 'Save' : 'Create tenant'),
      h('a', { class: 'button', href: '#/tenants' }, 'Cancel')));
  f.addEventListener('submit', async e => {
    e.preventDefault();
    error.textContent = '';
    try {
      const body = { id: idInput.value.trim(), name: nameInput.value.trim() || undefined, disabled: disabled.checked,
        credentials: {}, callbacks: {}, scenarios: {}, settings: {} };
      for (const s of sections) s.collect(body);
      const saved = editing ? await put('/tenants/' + seg(t.id), body) : await post('/tenants', body);
      await ctx.reloadTenants();
      ctx.notify(`Tenant ${saved.id} ${editing ? 'saved' : 'created'}.`);
      ctx.navigate('#/tenants');
    } catch (err) {
      error.textContent = err instanceof ApiError ? `${err.message} (HTTP ${err.status})` : err.message;
    }
  });
  replace(ctx.main, f);
  idInput.focus();
}

function supplierSection(supplier, t, identity, sets, tenantId) {
  const creds = h('div', { class: 'cred' });
  for (const [name, value] of Object.entries(t.credentials?.[supplier] || {})) creds.append(credentialRow(supplier, name, value, identity));
  const newName = h('input', { placeholder: identity || 'field', 'aria-label': `New ${supplier} credential field`, size: 16 });
  const add = h('button', { type: 'button', class: 'small' }, 'Add field');
  add.addEventListener('click', () => {
    const name = newName.value.trim();
    if (!name) return newName.focus();
    const row = credentialRow(supplier, name, '', identity);
    creds.append(row);
    newName.value = '';
    row.querySelector('input').focus();
  });
  const callback = h('input', { type: 'url', value: t.callbacks?.[supplier] || '', size: 60, 'aria-label': `callbacks.${supplier}`, spellcheck: 'false' });
  const inbox = h('button', { type: 'button', class: 'small', title: 'The sandbox’s own receiver records and acknowledges callbacks' }, 'Use the inbox');
  inbox.addEventListener('click', () => { callback.value = `${location.origin}/inbox/${encodeURIComponent(tenantId() || 'tenant')}/${supplier}`; });
  const set = select([['', '(default)'], ...sets.map(s => [s, s])], t.scenarios?.[supplier] || '', { 'aria-label': `scenarios.${supplier}` });
  const settingsText = t.settings?.[supplier] ? JSON.stringify(t.settings[supplier], null, 2) : '';
  const settings = h('textarea', { rows: settingsText ? Math.min(8, settingsText.split('\n').length) : 2, 'aria-label': `settings.${supplier}`, spellcheck: 'false' }, settingsText);
  const el = h('fieldset', {}, h('legend', {}, supplier),
    h('h3', {}, 'Credentials'), creds,
    h('div', { class: 'row', style: 'margin-top:6px' }, newName, add),
    h('div', { class: 'row', style: 'margin-top:10px' },
      field('Callback URL', h('span', {}, callback, ' ', inbox, ' ', copyButton(() => callback.value, `Copy ${supplier} callback URL`))),
      field('Scenario set', set)),
    h('details', { style: 'margin-top:8px' }, h('summary', {}, 'Settings (JSON)'), settings));
  return {
    el,
    collect(body) {
      const c = {};
      for (const input of creds.querySelectorAll('input[data-field]')) {
        const name = input.dataset.field;
        if (input.dataset.json) {
          try { c[name] = JSON.parse(input.value); } catch { throw new Error(`credentials.${supplier}.${name} is not valid JSON`); }
        } else if (input.value !== '') c[name] = input.value;
      }
      if (Object.keys(c).length) body.credentials[supplier] = c;
      if (callback.value.trim()) body.callbacks[supplier] = callback.value.trim();
      if (set.value) body.scenarios[supplier] = set.value;
      if (settings.value.trim()) {
        try { body.settings[supplier] = JSON.parse(settings.value); } catch { throw new Error(`settings.${supplier} is not valid JSON`); }
      }
    },
  };
}
