// The delivery log: callbacks with every attempt, filtered by status and entity; redeliver any.
import { get, seg } from '../api.js';
import { h, replace, table, time, badge, code, field, select, keepOpen } from '../dom.js';
import { redeliver } from './order.js';

export default {
  id: 'callbacks',
  title: 'Callbacks',
  tenant: true,
  async render(ctx) {
    const status = select([['', 'any status'], 'pending', 'delivered', 'abandoned'], ctx.query.get('status') || '', { id: 'callbacks-status' });
    const entity = h('input', { id: 'callbacks-entity', size: 30, placeholder: 'supplier:order:id', spellcheck: 'false' });
    const list = h('div', { id: 'callbacks-list' });

    async function load() {
      const rows = await get('/callbacks', { tenant: ctx.tenant, status: status.value, entity: entity.value.trim(), limit: 200 });
      keepOpen(list, () => replace(list, rows.length ? rows.map(c => h('details', { class: 'item', 'data-key': 'cb' + c.id },
        h('summary', {}, `#${c.id} `, h('strong', {}, c.name), ' ', badge(c.status), ' ', h('span', { class: 'mono' }, c.entity), ' ',
          h('span', { class: 'muted' }, `emitted `), time(c.emittedAt, 'virtual'), h('span', { class: 'muted' }, `, ${c.attempts} attempt${c.attempts === 1 ? '' : 's'}`),
          c.lastError ? h('span', { class: 'muted' }, ' — ' + c.lastError) : null, ' ', redeliver(ctx, c, load)),
        h('p', {}, h('span', { class: 'mono' }, `${c.method} ${c.url || '(the tenant’s current URL)'}`), h('span', { class: 'muted' }, ` target: ${c.target}`), ' ',
          orderLink(ctx, c.entity)),
        code(c.body, `Request body (${c.contentType})`),
        table([
          { title: '#', value: d => d.attempt },
          { title: 'Real', value: d => time(d.at) },
          { title: 'Virtual', value: d => time(d.virtualAt) },
          { title: 'URL', value: d => h('span', { class: 'mono' }, d.url || '') },
          { title: 'HTTP', value: d => d.httpStatus ?? '' },
          { title: 'Outcome', value: d => badge(d.outcome) },
          { title: 'Response / error', value: d => h('span', { class: 'mono' }, d.error || d.response || '') },
          { title: 'ms', value: d => d.latencyMs, class: 'num' },
        ], c.deliveries, { empty: 'No attempt yet.' })))
        : h('p', { class: 'muted' }, 'No callbacks.')));
    }

    status.addEventListener('change', load);
    entity.addEventListener('change', load);
    replace(ctx.main, h('h1', {}, `Callbacks of ${ctx.tenant}`),
      h('div', { class: 'row panel' }, field('Status', status), field('Entity', entity)), list);
    await load();
    return load;
  },
};

function orderLink(ctx, entity) {
  const [supplier, kind, ...id] = entity.split(':');
  return kind === 'order' ? h('a', { href: ctx.tenantHash('orders', id.join(':')) + '?supplier=' + supplier }, 'order ' + id.join(':')) : null;
}
