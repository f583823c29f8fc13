// A tenant's orders of every supplier, newest first, with their status and virtual times as dates; filters by
// supplier, status and id, paging, auto-refresh.
import { get, seg } from '../api.js';
import { h, replace, table, time, badge, field, select } from '../dom.js';
import { renderOrder } from './order.js';

const PAGE = 25;

export default {
  id: 'orders',
  title: 'Orders',
  tenant: true,
  async render(ctx) {
    if (ctx.args[0]) return renderOrder(ctx);
    const q = ctx.query;
    const suppliers = ctx.state.suppliers.filter(s => s.entityKinds.includes('order')).map(s => s.name);
    const supplier = select([['', 'all suppliers'], ...suppliers], q.get('supplier') || '', { id: 'orders-supplier' });
    const status = h('input', { id: 'orders-status', value: q.get('status') || '', size: 14, placeholder: 'any', list: 'orders-statuses' });
    const statuses = h('datalist', { id: 'orders-statuses' });
    const id = h('input', { id: 'orders-id', value: q.get('id') || '', size: 24, placeholder: 'order id', spellcheck: 'false' });
    let page = Math.max(0, Number(q.get('page') || 0));
    const body = h('div', { id: 'orders-table' });
    const pager = h('div', { class: 'pager' });

    const apply = () => {
      const p = new URLSearchParams();
      if (supplier.value) p.set('supplier', supplier.value);
      if (status.value.trim()) p.set('status', status.value.trim());
      if (id.value.trim()) p.set('id', id.value.trim());
      if (page) p.set('page', page);
      history.replaceState(null, '', ctx.tenantHash('orders') + (p.size ? '?' + p : ''));
      return load();
    };

    async function load() {
      const wanted = id.value.trim().toLowerCase();
      const want = status.value.trim().toLowerCase();
      // The API pages by count: ask for this page and one more row, and filter status and id here.
      const limit = Math.min(1000, (page + 1) * PAGE * (want || wanted ? 4 : 1) + 1);
      const all = await get(`/tenants/${seg(ctx.tenant)}/orders`, { supplier: supplier.value, limit });
      replace(statuses, [...new Set(all.map(o => o.status))].sort().map(s => h('option', { value: s })));
      const rows = all.filter(o => (!want || String(o.status).toLowerCase() === want) && (!wanted || String(o.id).toLowerCase().includes(wanted)));
      const shown = rows.slice(page * PAGE, (page + 1) * PAGE);
      replace(body, table([
        { title: 'Supplier', value: o => o.supplier },
        { title: 'Order', value: o => h('a', { href: ctx.tenantHash('orders', o.id) + '?supplier=' + o.supplier, class: 'mono' }, o.id) },
        { title: 'Status', value: o => badge(o.status) },
        { title: 'Created (virtual)', value: o => time(o.createdMs, 'created, tenant virtual time') },
        { title: 'Updated (virtual)', value: o => time(o.updatedMs, 'updated, tenant virtual time') },
        { title: 'Tags', value: o => (o.tags || []).join(', ') },
      ], shown, {
        empty: all.length ? 'No order matches the filters.' : 'No orders yet: run a booking against the supplier APIs.',
        onOpen: o => ctx.navigate(ctx.tenantHash('orders', o.id) + '?supplier=' + o.supplier),
        key: o => o.supplier + ':' + o.id,
      }));
      const more = rows.length > (page + 1) * PAGE;
      replace(pager,
        h('button', { type: 'button', disabled: page === 0, onclick: () => { page--; apply(); } }, '← Newer'),
        h('span', { class: 'muted' }, shown.length ? `${page * PAGE + 1}–${page * PAGE + shown.length}` : '0'),
        h('button', { type: 'button', disabled: !more, onclick: () => { page++; apply(); } }, 'Older →'));
    }

    for (const c of [supplier, status, id]) c.addEventListener('change', () => { page = 0; apply(); });
    id.addEventListener('keydown', e => { if (e.key === 'Enter') { page = 0; apply(); } });
    replace(ctx.main,
      h('h1', {}, `Orders of ${ctx.tenant}`),
      h('div', { class: 'row panel' }, field('Supplier', supplier), field('Status', status), statuses, field('Id contains', id)),
      body, pager);
    await load();
    return load;
  },
};
