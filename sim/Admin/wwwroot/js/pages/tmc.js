// TMC queues of a tenant (per app group: connections, counts by status, messages): shown when the admin API offers them.
import { get, seg } from '../api.js';
import { h, replace, table, time, badge, code } from '../dom.js';

export default {
  id: 'tmc',
  title: 'TMC',
  tenant: true,
  supplier: 'top',
  path: '/admin/api/tenants/{tenant}/tmc/queues',
  async render(ctx) {
    const body = h('div');
    async function load() {
      const q = await get(`/tenants/${seg(ctx.tenant)}/tmc/queues`, { limit: 100 });
      replace(body,
        h('p', {}, 'App key ', h('span', { class: 'mono' }, q.appKey || '(none: set credentials.top.appKey)'), '; topics ', (q.settings?.topics || []).join(', ') || 'all'),
        q.warnings?.length ? h('ul', { class: 'errors' }, q.warnings.map(w => h('li', {}, w))) : null,
        q.groups.map(g => h('section', {},
          h('h2', {}, 'Group ', g.name, ' ', Object.entries(g.counts).map(([k, v]) => [badge(`${k} ${v}`), ' '])),
          h('h3', {}, 'Connections'),
          table([
            { title: 'Token', value: c => h('span', { class: 'mono' }, c.token) },
            { title: 'SDK', value: c => c.sdk },
            { title: 'Remote', value: c => c.remote },
            { title: 'Connected', value: c => time(c.connectedAt) },
          ], g.connections, { empty: 'No client connected.' }),
          h('h3', {}, 'Messages'),
          table([
            { title: 'Id', value: m => m.id },
            { title: 'Topic', value: m => m.topic },
            { title: 'Status', value: m => badge(m.status) },
            { title: 'Deliveries', value: m => m.deliveries, class: 'num' },
            { title: 'Published', value: m => time(m.pubTime) },
            { title: 'Content', value: m => h('details', {}, h('summary', {}, 'content'), code(m.content)) },
          ], g.messages, { empty: 'Queue empty.' }))));
    }
    replace(ctx.main, h('h1', {}, `TMC queues of ${ctx.tenant}`), body);
    await load();
    return load;
  },
};
