// One order's story, top to bottom in the order things happened: requests (journal), state transitions, clock jumps,
// rules that fired (magic values, faults), callbacks and every delivery attempt with its bodies. Buttons force a
// transition the order's machine allows from its state, and redeliver a callback.
import { get, post, seg } from '../api.js';
import { h, replace, time, badge, code, keepOpen, copyButton } from '../dom.js';

export async function renderOrder(ctx) {
  const id = ctx.args[0];
  const supplier = ctx.query.get('supplier') || '';
  const head = h('div');
  const actions = h('div', { class: 'panel', id: 'order-actions' });
  const story = h('ol', { class: 'timeline', id: 'timeline', 'aria-label': 'Timeline' });
  const [scenarios, magic] = await Promise.all([get('/scenarios'), get('/scenarios/magic', { supplier })]);

  async function load() {
    const o = await get(`/tenants/${seg(ctx.tenant)}/orders/${seg(id)}`, { supplier });
    replace(head,
      h('h1', {}, h('span', { class: 'mono' }, o.id), ' ', badge(o.status)),
      h('dl', { class: 'kv' },
        h('dt', {}, 'Supplier'), h('dd', {}, o.supplier + ' ' + o.kind),
        h('dt', {}, 'Created (virtual)'), h('dd', {}, time(o.createdMs)),
        h('dt', {}, 'Updated (virtual)'), h('dd', {}, time(o.updatedMs)),
        o.tags?.length ? [h('dt', {}, 'Tags'), h('dd', {}, o.tags.join(', '))] : null),
      h('details', {}, h('summary', {}, 'Order document'), code(strip(o))));
    replace(actions, transitions(ctx, o, scenarios, load), ' ');
    keepOpen(story, () => replace(story, events(o, magic).map(e => item(e, ctx, load))));
  }

  replace(ctx.main, h('p', {}, h('a', { href: ctx.tenantHash('orders') }, '← Orders')), head, actions,
    h('h2', {}, 'Timeline'), h('p', { class: 'hint' }, 'Real time on the left, the tenant’s virtual time where it applies. Expand an entry for its bodies.'),
    story);
  await load();
  return load;
}

/** The order as stored, without what the page shows as the timeline. */
function strip(o) {
  const { timeline, callbacks, requests, ...rest } = o;
  return rest;
}

function transitions(ctx, o, scenarios, reload) {
  const tenant = ctx.state.tenants.find(t => t.id === ctx.tenant);
  const setName = tenant?.scenarios?.[o.supplier] || 'default';
  const machine = scenarios.sets.find(s => s.supplier === o.supplier && s.name === setName)?.machines.find(m => m.kind === o.kind);
  const label = h('strong', {}, 'Force a transition: ');
  if (!machine) return [label, h('span', { class: 'muted' }, `the ${setName} scenario has no ${o.kind} machine for ${o.supplier}`)];
  const allowed = machine.transitions.filter(t => (t.from === o.status || t.from === '*') && t.to !== o.status);
  const seen = new Set();
  const buttons = allowed.filter(t => !seen.has(t.to) && seen.add(t.to)).map(t => {
    const why = [t.on ? 'on ' + t.on : null, t.after ? 'after ' + t.after : null, t.emit ? 'emits ' + t.emit : null].filter(Boolean).join(', ');
    const b = h('button', { type: 'button', title: why, dataset: { to: t.to } }, '→ ' + t.to, why ? h('span', { class: 'muted' }, ' (' + why + ')') : null);
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        await post(`/tenants/${seg(ctx.tenant)}/orders/${seg(o.id)}/transition`, { to: t.to, supplier: o.supplier, kind: o.kind });
        ctx.notify(`${o.id}: ${o.status} → ${t.to}`);
        await reload();
      } catch (e) {
        ctx.notify(e.message, 'error');
        b.disabled = false;
      }
    });
    return b;
  });
  return [label, buttons.length ? buttons : h('span', { class: 'muted' }, `none: the ${setName} machine has no transition out of ${o.status}`),
    h('span', { class: 'muted' }, ` (machine ${o.kind} of ${o.supplier}/${setName})`)];
}

const ms = iso => new Date(iso).getTime();

/** Everything that happened to the order, as one list ordered by real time (then virtual time). */
function events(o, magic) {
  const list = [];
  for (const e of o.timeline || []) {
    if (e.kind === 'callback') continue;
    list.push({ at: e.at, virtualAt: e.virtualAt, kind: e.kind, detail: e.detail, key: e.kind + e.at });
  }
  for (const r of o.requests || []) {
    list.push({ at: r.at, kind: 'request', detail: r, key: 'r' + r.id });
    const fired = (r.diagnostic || '').startsWith('rules: ') ? r.diagnostic.slice(7).split(', ') : [];
    for (const name of fired)
      list.push({ at: r.at, kind: 'rule', detail: { name, operation: r.operation, rule: magic.find(m => m.rule === name) }, key: 'x' + r.id + name });
  }
  for (const c of o.callbacks || []) {
    list.push({ at: c.createdAt, virtualAt: c.emittedAt, kind: 'callback', detail: c, key: 'c' + c.id });
    for (const d of c.deliveries || [])
      list.push({ at: d.at, virtualAt: d.virtualAt, kind: 'attempt', detail: { ...d, callback: c }, key: 'a' + c.id + '.' + d.attempt });
  }
  return list.sort((a, b) => ms(a.at) - ms(b.at) || (a.virtualAt && b.virtualAt ? ms(a.virtualAt) - ms(b.virtualAt) : 0));
}

function when(e) {
  return h('span', { class: 'when' }, time(e.at, 'real time'), e.virtualAt ? [' · virtual ', time(e.virtualAt, 'tenant virtual time')] : null);
}

function item(e, ctx, reload) {
  const d = e.detail;
  const li = (cls, summary, ...body) => h('li', { class: cls },
    body.length ? h('details', { 'data-key': e.key }, h('summary', {}, when(e), summary), body) : h('div', {}, when(e), summary));
  switch (e.kind) {
    case 'created':
      return li('created', [h('strong', {}, 'Created'), ' ', Object.entries(d || {}).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : v}`).join(' ')]);
    case 'transition':
      return li('transition', [h('strong', {}, 'Transition '), badge(d.from), ' → ', badge(d.to), d.cause ? h('span', { class: 'muted' }, ' (' + d.cause + ')') : null,
        d.emit ? h('span', { class: 'muted' }, ' emits ' + d.emit) : null]);
    case 'clock':
      return li('clock', [h('strong', {}, 'Clock ' + d.change), ` ${d.by} to `, time(d.to, 'virtual'),
        d.frozen !== d.wasFrozen ? h('span', { class: 'muted' }, d.frozen ? ' (frozen)' : ' (running)') : null,
        h('span', { class: 'muted' }, ` — ${d.fired} timer${d.fired === 1 ? '' : 's'} fired, ${d.callbacks} callback attempt${d.callbacks === 1 ? '' : 's'}`)]);
    case 'rule':
      return li('rule', [h('strong', {}, 'Rule fired: '), h('span', { class: 'mono' }, d.name), ` on ${d.operation}`,
        d.rule ? h('span', { class: 'muted' }, ` — ${d.rule.effect}${d.rule.description ? ' — ' + d.rule.description : ''}`) : h('span', { class: 'muted' }, ' (ad-hoc fault rule)')],
        d.rule ? h('dl', { class: 'kv' }, h('dt', {}, 'when'), h('dd', { class: 'mono' }, d.rule.when.join(' and ') || '—'),
          h('dt', {}, 'source'), h('dd', { class: 'mono' }, d.rule.source)) : h('p', { class: 'muted' }, 'A rule added at runtime (Faults page).'));
    case 'request':
      return li('request', [h('strong', {}, d.operation || d.method), ' ', h('span', { class: 'mono muted' }, d.method + ' ' + d.path.split('?')[0]), ' ',
        badge(d.result === 'ok' ? 'ok' : 'error ' + (d.resultCode ?? d.httpStatus)), ' ', h('span', { class: 'muted' }, `HTTP ${d.httpStatus}, ${d.durationMs} ms, signature ${d.signature}`)],
        d.diagnostic && !d.diagnostic.startsWith('rules: ') ? h('p', { class: 'mono' }, d.diagnostic) : null,
        h('div', { class: 'grid2' }, code(d.request, 'Request'), code(d.response, 'Response')));
    case 'callback':
      return li('callback', [h('strong', {}, 'Callback ' + d.name), ' #' + d.id, ' ', badge(d.status), ' ', h('span', { class: 'muted' }, `${d.attempts} attempt${d.attempts === 1 ? '' : 's'}, target ${d.target}`), ' ',
        redeliver(ctx, d, reload)],
        h('p', { class: 'mono' }, d.method + ' ' + (d.url || '(the tenant’s callback URL)'), ' ', d.url ? copyButton(d.url, 'Copy callback URL') : null),
        code(d.body, 'Request body (' + d.contentType + ')'));
    case 'attempt':
      return li('callback', [h('strong', {}, `Attempt ${d.attempt}`), ` of ${d.callback.name} #${d.callback.id} `, badge(d.outcome), ' ',
        h('span', { class: 'muted' }, d.httpStatus ? `HTTP ${d.httpStatus}, ${d.latencyMs} ms` : d.error || '')],
        h('p', { class: 'mono' }, 'to ' + (d.url || '(no URL)')), d.error ? h('p', { class: 'mono' }, d.error) : null,
        h('div', { class: 'grid2' }, code(d.callback.body, 'Request body'), code(d.response, 'Response body')));
    default:
      return li('', [h('strong', {}, e.kind), ' ', JSON.stringify(d)]);
  }
}

export function redeliver(ctx, callback, reload) {
  const b = h('button', { type: 'button', class: 'small', dataset: { redeliver: callback.id } }, 'Redeliver');
  b.addEventListener('click', async ev => {
    ev.preventDefault();
    ev.stopPropagation();
    b.disabled = true;
    try {
      const c = await post(`/callbacks/${callback.id}/redeliver`);
      const last = c.deliveries[c.deliveries.length - 1];
      ctx.notify(`Callback #${c.id} redelivered: ${last?.outcome}${last?.httpStatus ? ' (HTTP ' + last.httpStatus + ')' : last?.error ? ' — ' + last.error : ''}`);
      await reload();
    } catch (e) {
      ctx.notify(e.message, 'error');
    } finally {
      b.disabled = false;
    }
  });
  return b;
}
