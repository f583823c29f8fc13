// Live fault rules of a tenant: the ad-hoc rules in scenario syntax, add and remove.
import { get, post, del, seg } from '../api.js';
import { h, replace, table, time, field, select } from '../dom.js';

const EXAMPLES = {
  'timeout once': { when: { operation: 'Commit' }, fault: { type: 'timeout', after: '2s' }, times: 1 },
  'HTTP 503, 10 %': { when: {}, fault: { type: 'http', status: 503 }, probability: 0.1 },
  'connection reset': { when: { operation: 'LowFareSearch' }, fault: { type: 'reset' } },
  'latency 800 ms': { when: {}, fault: { type: 'latency', delay: '800ms' } },
  'rate limit': { when: {}, fault: { type: 'ratelimit' }, times: 3 },
};

export default {
  id: 'faults',
  title: 'Faults',
  tenant: true,
  async render(ctx) {
    const base = `/tenants/${seg(ctx.tenant)}/faults`;
    const list = h('div', { id: 'faults-list' });
    const supplier = select(ctx.state.suppliers.map(s => s.name), ctx.state.suppliers[0]?.name, { id: 'fault-supplier' });
    const rule = h('textarea', { id: 'fault-rule', rows: 6, spellcheck: 'false' }, JSON.stringify(EXAMPLES['timeout once'], null, 2));
    const error = h('p', { role: 'alert', class: 'errors' });

    async function load() {
      const faults = await get(base);
      replace(list, table([
        { title: 'Id', value: f => h('span', { class: 'mono' }, f.id) },
        { title: 'Supplier', value: f => f.supplier },
        { title: 'Added', value: f => time(f.created) },
        { title: 'When', value: f => h('span', { class: 'mono' }, [f.rule.operations.join(', ') || 'any operation', ...f.rule.when].join(' and ')) },
        { title: 'Effect', value: f => f.rule.effect },
        { title: '', value: f => h('button', { type: 'button', class: 'small danger', 'aria-label': 'Remove fault ' + f.id, onclick: async () => {
          await del(`${base}/${seg(f.id)}`);
          ctx.notify(`Fault ${f.id} removed.`);
          await load();
        } }, 'Remove') },
      ], faults, { empty: 'No live fault rules: requests follow the scenario set.' }));
    }

    const form = h('form', {},
      h('div', { class: 'row' }, field('Supplier', supplier),
        h('span', {}, h('span', { class: 'muted' }, 'Examples: '), Object.keys(EXAMPLES).map(k =>
          h('button', { type: 'button', class: 'small', onclick: () => { rule.value = JSON.stringify(EXAMPLES[k], null, 2); } }, k)), ' ')),
      field('Rule (scenario syntax as JSON: when, reply | fault | set | tags, times, probability)', rule),
      error, h('button', { type: 'submit', class: 'primary' }, 'Add rule'));
    form.addEventListener('submit', async e => {
      e.preventDefault();
      error.textContent = '';
      let parsed;
      try { parsed = JSON.parse(rule.value); } catch (err) { error.textContent = 'Not JSON: ' + err.message; return; }
      try {
        const f = await post(base, { supplier: supplier.value, rule: parsed });
        ctx.notify(`Fault ${f.id} added.`);
        await load();
      } catch (err) {
        error.textContent = err.message;
      }
    });
    replace(ctx.main, h('h1', {}, `Live fault rules of ${ctx.tenant}`),
      h('p', { class: 'hint' }, 'Rules added here apply at once, before the scenario’s own rules, until removed (or the tenant is reset).'),
      list, h('h2', {}, 'Add a rule'), h('div', { class: 'panel' }, form));
    await load();
    return load;
  },
};
