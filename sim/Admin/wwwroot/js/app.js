// The console's shell: asks for the admin token when the server wants one, loads the suppliers and tenants, and routes
// #/… addresses to pages. Tenant pages live under #/t/{tenant}/{page}; the others under #/{page}.
import { get, token, onUnauthorized, ApiError } from './api.js';
import { h, replace } from './dom.js';
import { pages, extensions } from './pages/index.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const tenantSelect = document.getElementById('tenant');
const liveBox = document.getElementById('live');
const notice = document.getElementById('notice');

const state = { suppliers: [], tenants: [], tenant: localStorage.getItem('sandbox.tenant') || '', available: [] };
let refreshTimer = null;
let current = null;
let asking = false;

export function notify(message, kind = 'info') {
  notice.className = kind === 'error' ? 'error' : '';
  notice.textContent = message;
  if (kind !== 'error') setTimeout(() => { if (notice.textContent === message) notice.textContent = ''; }, 6000);
}

export function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

export function tenantHash(page, ...rest) {
  return '#/t/' + encodeURIComponent(state.tenant) + '/' + [page, ...rest].map(encodeURIComponent).join('/');
}

/** Reloads the tenant list (after a create, edit or delete). */
export async function reloadTenants() {
  state.tenants = await get('/tenants');
  if (!state.tenants.some(t => t.id === state.tenant)) state.tenant = state.tenants[0]?.id || '';
  fillTenants();
}

function fillTenants() {
  replace(tenantSelect, state.tenants.map(t => h('option', { value: t.id, selected: t.id === state.tenant }, t.id + (t.name ? ' — ' + t.name : ''))));
  tenantSelect.disabled = !state.tenants.length;
}

tenantSelect.addEventListener('change', () => {
  state.tenant = tenantSelect.value;
  localStorage.setItem('sandbox.tenant', state.tenant);
  const r = parse();
  const page = r.def?.tenant ? r.page : 'orders';
  navigate('#/t/' + encodeURIComponent(state.tenant) + '/' + page);
});

function parse() {
  const [path, qs] = location.hash.replace(/^#\/?/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  let tenant = null, page, args;
  if (parts[0] === 't') {
    tenant = parts[1];
    page = parts[2] || 'orders';
    args = parts.slice(3);
  } else {
    page = parts[0] || 'tenants';
    args = parts.slice(1);
  }
  const all = [...pages, ...state.available];
  return { tenant, page, args, query: new URLSearchParams(qs || ''), def: all.find(p => p.id === page) };
}

function renderNav(active) {
  replace(nav, [...pages, ...state.available].filter(p => p.nav !== false).map(p => {
    const href = p.tenant ? (state.tenant ? '#/t/' + encodeURIComponent(state.tenant) + '/' + p.id : '#/tenants') : '#/' + p.id;
    return h('a', { href, 'aria-current': p.id === active || (p.id === 'orders' && active === 'order') ? 'page' : null }, p.title);
  }));
}

async function route() {
  clearInterval(refreshTimer);
  current = null;
  const r = parse();
  if (r.tenant && r.tenant !== state.tenant) {
    state.tenant = r.tenant;
    localStorage.setItem('sandbox.tenant', r.tenant);
    fillTenants();
  }
  renderNav(r.page);
  if (!r.def) {
    replace(main, h('h1', {}, 'Not found'), h('p', {}, 'No page “' + r.page + '”. ', h('a', { href: '#/tenants' }, 'Tenants')));
    return;
  }
  if (r.def.tenant && state.tenant && !state.tenants.some(t => t.id === state.tenant)) {
    // Created elsewhere (the admin API, another tab) since the console read the list.
    const wanted = state.tenant;
    try { state.tenants = await get('/tenants'); } catch (e) { if (e instanceof ApiError && e.unauthorized) return; }
    fillTenants();
    state.tenant = wanted;
  }
  if (r.def.tenant && !state.tenants.some(t => t.id === state.tenant)) {
    replace(main, h('h1', {}, r.def.title), h('p', {}, state.tenant ? `No tenant “${state.tenant}”. ` : 'No tenant yet. ',
      h('a', { href: '#/tenants/new' }, 'Create one')));
    return;
  }
  const ctx = { main, tenant: state.tenant, args: r.args, query: r.query, state, notify, navigate, tenantHash, reloadTenants };
  replace(main, h('p', { class: 'muted' }, 'Loading…'));
  const mine = {};
  current = mine;
  try {
    const refresh = await r.def.render(ctx);
    if (current !== mine) return;
    if (typeof refresh === 'function') {
      refreshTimer = setInterval(async () => {
        if (!liveBox.checked || document.hidden || current !== mine) return;
        try { await refresh(); } catch (e) { if (!(e instanceof ApiError && e.unauthorized)) notify(e.message, 'error'); }
      }, 3000);
    }
  } catch (e) {
    if (e instanceof ApiError && e.unauthorized) return;
    replace(main, h('h1', {}, r.def.title), h('p', { class: 'muted' }, 'Could not load: ' + e.message));
  }
  main.focus({ preventScroll: true });
}

function askToken(error) {
  if (asking) return;
  asking = true;
  clearInterval(refreshTimer);
  current = null;
  const had = token.get();
  const input = h('input', { type: 'password', id: 'token-input', autocomplete: 'off', size: 40, required: true });
  const form = h('form', { class: 'panel', style: 'max-width:560px' },
    h('h1', {}, 'Admin token'),
    h('p', { role: 'alert', id: 'token-message' }, had
      ? `The sandbox refused this token (HTTP ${error.status}). Enter the admin token again.`
      : `This sandbox requires an admin token (HTTP ${error.status}): the value of Sandbox:AdminToken it was started with.`),
    h('p', { class: 'muted' }, 'It is kept for this browser session only (closing the tab forgets it).'),
    h('div', { class: 'row' }, h('label', { class: 'field', for: 'token-input' }, 'Token', input), h('button', { class: 'primary', type: 'submit' }, 'Connect')));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    token.set(input.value.trim());
    asking = false;
    await start();
  });
  replace(nav);
  replace(main, form);
  input.focus();
}

onUnauthorized(askToken);

async function start() {
  try {
    [state.suppliers] = await Promise.all([get('/suppliers'), reloadTenants()]);
  } catch (e) {
    if (!(e instanceof ApiError && e.unauthorized)) replace(main, h('h1', {}, 'Sandbox console'), h('p', {}, 'The admin API did not answer: ' + e.message));
    return;
  }
  state.available = await available();
  notice.textContent = '';
  started = true;
  route();
}

/** Pages of suppliers that are not always there (TMC, the Qimen call log …): shown when the admin API offers them. */
async function available() {
  const names = new Set(state.suppliers.map(s => s.name));
  let paths = new Set();
  try {
    const doc = await fetch('/openapi/v1.json').then(r => (r.ok ? r.json() : {}));
    paths = new Set(Object.keys(doc.paths || {}));
  } catch { /* without the description, module names decide */ }
  return extensions.filter(p => names.has(p.supplier) || (p.path && paths.has(p.path)));
}

// Until start() has read the tenants and pages it routes once itself: a hash change before then must not render twice.
let started = false;
window.addEventListener('hashchange', () => { if (started) route(); });
start();
