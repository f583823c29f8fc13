// The Fliggy custom bus's Qimen call log of a tenant: every call Fliggy made into the operator (URL, headers, body,
// string to sign, sign, reply, verdict and findings), with the per-method counters. Shown when the module is there.
import { get, del, seg } from '../api.js';
import { h, replace, table, time, badge, code, field, select, keepOpen } from '../dom.js';

// The 11 merchant APIs, in the order a booking meets them.
const methods = ['product.fromcity.query', 'product.tocity.query', 'product.number.query', 'product.seat.query', 'order.create',
  'order.confirm', 'order.query', 'order.close', 'return.query', 'return.confirm', 'offline.number.query'].map(m => 'qimen.alitrip.custombus.' + m);

export default {
  id: 'qimen',
  title: 'Qimen calls',
  tenant: true,
  supplier: 'fliggybus',
  path: '/admin/api/tenants/{tenant}/fliggybus/calls',
  async render(ctx) {
    const q = ctx.query;
    const method = select([['', 'all'], ...methods.map(m => [m, m.replace('qimen.alitrip.custombus.', '')])], q.get('method') || '', { id: 'qimen-method' });
    const order = h('input', { id: 'qimen-order', value: q.get('order') || '', size: 22, spellcheck: 'false', placeholder: 'alitripOrderId' });
    const stats = h('div', { id: 'qimen-stats' });
    const list = h('div', { id: 'qimen-list' });
    const reset = h('button', { type: 'button' }, 'Reset counters');

    async function load() {
      const [calls, s] = await Promise.all([
        get(`/tenants/${seg(ctx.tenant)}/fliggybus/calls`, { method: method.value, order: order.value.trim(), limit: 100 }),
        get(`/tenants/${seg(ctx.tenant)}/fliggybus/calls/stats`),
      ]);
      replace(stats, table([
        { title: 'Method', value: m => m.method.replace('qimen.alitrip.custombus.', '') },
        { title: 'Calls', value: m => m.calls, class: 'num' },
        { title: 'Accepted', value: m => m.accepted, class: 'num' },
        { title: 'Not accepted', value: m => Object.entries(m.verdicts).filter(([k]) => k !== 'success').map(([k, v]) => [badge(`${k} ${v}`, 'bad'), ' ']) },
        { title: 'Signature refusals', value: m => m.signatureRefusals ? badge(m.signatureRefusals, 'bad') : 0, class: 'num' },
        { title: 'p50 / p95 / p99 ms', value: m => `${m.latencyMs.p50} / ${m.latencyMs.p95} / ${m.latencyMs.p99}`, class: 'num' },
      ], s.methods, { empty: 'No call counted since the counters started.' }));
      keepOpen(list, () => replace(list, calls.length ? calls.map(c => h('details', { class: 'item', 'data-key': 'q' + c.id },
        h('summary', {}, time(c.at), ' ', h('strong', {}, (c.method || '').replace('qimen.alitrip.custombus.', '')), ' ',
          badge(c.verdict || '?', c.verdict === 'success' ? 'ok' : 'bad'),
          h('span', { class: 'muted' }, ` attempt ${c.attempt ?? 1}/${c.attempts ?? 1}, HTTP ${c.httpStatus ?? '—'}, ${c.latencyMs ?? '—'} ms`),
          c.order ? h('span', { class: 'mono muted' }, ' ' + c.order) : null),
        h('p', { class: 'mono' }, 'POST ' + c.url),
        c.virtualAt ? h('p', { class: 'muted' }, 'virtual time ', time(c.virtualAt)) : null,
        c.error ? h('p', { class: 'errors' }, c.error) : null,
        c.findings?.length ? h('ul', { class: 'errors' }, c.findings.map(f => h('li', {}, f))) : null,
        h('p', { class: 'mono' }, 'sign ', c.sign || '—'),
        h('div', { class: 'grid2' }, code(c.body, 'Body'), code(c.reply, 'Reply')),
        code(c.stringToSign, 'String to sign'),
        code(JSON.stringify(c.headers || {}, null, 2), 'Headers')))
        : h('p', { class: 'muted' }, 'No Qimen call yet: sync the catalogue or book (POST …/fliggybus/sync, …/fliggybus/orders).')));
    }

    for (const c of [method, order]) c.addEventListener('change', load);
    reset.addEventListener('click', async () => { await del(`/tenants/${seg(ctx.tenant)}/fliggybus/calls/stats`); await load(); });
    replace(ctx.main, h('h1', {}, `Qimen calls of ${ctx.tenant}`),
      h('div', { class: 'row panel' }, field('Method', method), field('Order', order), reset),
      h('h2', {}, 'Per method (since the counters started)'), stats,
      h('h2', {}, 'Calls, newest first'), list);
    await load();
    return load;
  },
};
