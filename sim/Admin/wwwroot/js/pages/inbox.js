// The built-in callback inbox: per supplier its URL and how it answers (acknowledge, refuse, slow, wrong ack), and
// every request it received with headers and body.
import { get, put, del, seg } from '../api.js';
import { h, replace, table, time, badge, code, copyButton, select, keepOpen, field } from '../dom.js';

const MODES = [['acknowledge', 'acknowledge'], ['refuse', 'refuse (HTTP 500)'], ['slow', 'slow (answer after a delay)'], ['wrong-ack', 'wrong acknowledgement']];

export default {
  id: 'inbox',
  title: 'Inbox',
  tenant: true,
  async render(ctx) {
    const base = `/tenants/${seg(ctx.tenant)}/inbox`;
    const receivers = h('div', { id: 'inbox-receivers' });
    const list = h('div', { id: 'inbox-list' });
    const filter = select([['', 'all suppliers'], ...ctx.state.suppliers.map(s => s.name)], '', { id: 'inbox-supplier' });
    let drawn = false;

    async function load() {
      const inbox = await get(base, { supplier: filter.value, limit: 200 });
      if (!drawn) {
        drawn = true;
        replace(receivers, table([
          { title: 'Supplier', value: r => r.supplier },
          { title: 'Inbox URL', value: r => h('span', {}, h('span', { class: 'mono' }, r.url), ' ', copyButton(r.url, 'Copy inbox URL of ' + r.supplier)) },
          { title: 'Answers', value: r => modeControl(ctx, base, r) },
        ], inbox.receivers));
      }
      keepOpen(list, () => replace(list, inbox.requests.length ? inbox.requests.map(r => h('details', { class: 'item', 'data-key': 'in' + r.id },
        h('summary', {}, time(r.at, 'real'), ' ', h('span', { class: 'muted' }, 'virtual '), time(r.virtualAt, 'virtual'), ' ',
          h('strong', {}, r.supplier), ' ', h('span', { class: 'mono' }, `${r.method} ${r.path}${r.query}`), ' → ', badge(`${r.status} ${r.mode}`)),
        h('div', { class: 'grid2' },
          h('div', {}, h('h3', {}, 'Headers'), h('dl', { class: 'kv mono' }, Object.entries(r.headers).map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]))),
          h('div', {}, code(r.body, 'Body'), code(r.answer, 'Answered')))))
        : h('p', { class: 'muted' }, 'Nothing received yet. Point a callback URL at an inbox URL above (the demo tenant’s are).')));
    }

    const clear = h('button', { type: 'button', class: 'danger' }, 'Clear');
    clear.addEventListener('click', async () => {
      await del(base, { supplier: filter.value });
      ctx.notify('Inbox cleared.');
      await load();
    });
    filter.addEventListener('change', load);
    replace(ctx.main, h('h1', {}, `Inbox of ${ctx.tenant}`),
      h('p', { class: 'hint' }, 'The sandbox’s own callback receiver: it records what arrives and answers in each supplier’s acknowledgement contract. The newest 500 requests per tenant are kept.'),
      receivers, h('h2', {}, 'Received'), h('div', { class: 'row panel' }, field('Supplier', filter), clear), list);
    await load();
    return load;
  },
};

function modeControl(ctx, base, r) {
  const mode = select(MODES, r.mode, { 'aria-label': `How the ${r.supplier} inbox answers` });
  const delay = h('input', { value: r.delay, size: 8, 'aria-label': `Delay of the slow ${r.supplier} inbox`, hidden: r.mode !== 'slow' });
  const save = async () => {
    delay.hidden = mode.value !== 'slow';
    try {
      const saved = await put(`${base}/${r.supplier}/mode`, { mode: mode.value, delay: delay.value.trim() });
      ctx.notify(`${r.supplier} inbox: ${saved.mode}${saved.mode === 'slow' ? ' after ' + saved.delay : ''}`);
    } catch (e) {
      ctx.notify(e.message, 'error');
    }
  };
  mode.addEventListener('change', save);
  delay.addEventListener('change', save);
  return h('span', {}, mode, ' ', delay);
}
