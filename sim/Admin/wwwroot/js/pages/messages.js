// Messages the tenant's suppliers would have sent to people: SMS verification codes, vouchers, notices.
import { get, seg } from '../api.js';
import { h, replace, table, time, copyButton, field, select } from '../dom.js';

export default {
  id: 'messages',
  title: 'Messages',
  tenant: true,
  async render(ctx) {
    const supplier = select([['', 'all'], ...ctx.state.suppliers.map(s => s.name)], '', { id: 'messages-supplier' });
    const to = h('input', { id: 'messages-to', size: 16, placeholder: 'phone' });
    const list = h('div');
    async function load() {
      const rows = await get(`/tenants/${seg(ctx.tenant)}/messages`, { supplier: supplier.value, to: to.value.trim(), limit: 200 });
      replace(list, table([
        { title: 'Virtual time', value: m => time(m.virtualAt) },
        { title: 'Supplier', value: m => m.supplier },
        { title: 'Channel', value: m => m.channel },
        { title: 'To', value: m => h('span', { class: 'mono' }, m.to) },
        { title: 'Purpose', value: m => m.purpose },
        { title: 'Text', value: m => h('span', {}, m.text, ' ', copyButton(m.text, 'Copy message text')) },
        { title: 'Entity', value: m => h('span', { class: 'mono' }, m.entity || '') },
      ], rows, { empty: 'No messages. Yobaoxing sends SMS verification codes and vouchers here.' }));
    }
    supplier.addEventListener('change', load);
    to.addEventListener('change', load);
    replace(ctx.main, h('h1', {}, `Messages of ${ctx.tenant}`), h('div', { class: 'row panel' }, field('Supplier', supplier), field('To', to)), list);
    await load();
    return load;
  },
};
