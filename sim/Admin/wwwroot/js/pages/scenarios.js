// Scenario sets: what is loaded, reload with the errors (file:line:column), the tenant's choice of set per supplier,
// and the catalogue of magic values with search.
import { get, post, put, seg, ApiError } from '../api.js';
import { h, replace, table, field, select } from '../dom.js';

export default {
  id: 'scenarios',
  title: 'Scenarios',
  tenant: false,
  async render(ctx) {
    const sets = h('div', { id: 'scenario-sets' });
    const errors = h('div', { id: 'scenario-errors', role: 'status' });
    const choice = h('div', { id: 'scenario-choice' });
    const search = h('input', { id: 'magic-search', type: 'search', size: 40, placeholder: 'value, operation, effect…', spellcheck: 'false' });
    const magicList = h('div', { id: 'magic-list' });
    let magic = [];

    function showErrors(list, heading) {
      replace(errors, list.length
        ? h('div', { class: 'panel' }, h('strong', {}, heading), h('ul', { class: 'errors' }, list.map(e => h('li', {}, `${e.file}:${e.line}:${e.column}: ${e.reason}`))))
        : null);
    }

    async function load() {
      const s = await get('/scenarios');
      replace(sets, table([
        { title: 'Supplier', value: x => x.supplier },
        { title: 'Set', value: x => h('strong', {}, x.name) },
        { title: 'Description', value: x => x.description || '' },
        { title: 'Files', value: x => x.files.map(f => h('div', { class: 'mono' }, f)) },
        { title: 'Machines', value: x => x.machines.map(m => h('div', {}, `${m.kind}: ${m.initial} + ${m.transitions.length} transitions`)) },
        { title: 'Rules', value: x => x.rules, class: 'num' },
        { title: 'Seed', value: x => x.seed, class: 'num' },
      ], s.sets));
      showErrors(s.errors, 'The last reload rejected (the previous version of each file stays in use):');
      const tenant = ctx.state.tenants.find(t => t.id === ctx.state.tenant);
      if (tenant) {
        const bySupplier = Object.groupBy ? Object.groupBy(s.sets, x => x.supplier) : s.sets.reduce((a, x) => ((a[x.supplier] ||= []).push(x), a), {});
        replace(choice, h('div', { class: 'row panel' }, h('strong', {}, `Sets of ${tenant.id}:`), Object.entries(bySupplier).map(([supplier, list]) => {
          const sel = select(list.map(x => x.name), tenant.scenarios?.[supplier] || 'default', { 'aria-label': `${supplier} scenario set of ${tenant.id}` });
          sel.addEventListener('change', async () => {
            try {
              await put(`/tenants/${seg(tenant.id)}/scenario`, { supplier, set: sel.value });
              await ctx.reloadTenants();
              ctx.notify(`${tenant.id} runs ${supplier}/${sel.value}.`);
            } catch (e) { ctx.notify(e.message, 'error'); }
          });
          return field(supplier, sel);
        })));
      }
      magic = await get('/scenarios/magic');
      drawMagic();
    }

    function drawMagic() {
      const words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      const rows = magic.filter(m => {
        const text = [m.supplier, m.scenario, m.rule, ...m.operations, ...m.when, m.effect, m.description, m.source].join(' ').toLowerCase();
        return words.every(w => text.includes(w));
      });
      replace(magicList, h('p', { class: 'muted' }, `${rows.length} of ${magic.length}`), table([
        { title: 'Supplier', value: m => m.supplier + '/' + m.scenario },
        { title: 'Operations', value: m => m.operations.join(', ') || 'any' },
        { title: 'When', value: m => h('span', { class: 'mono' }, m.when.join(' and ')) },
        { title: 'Effect', value: m => m.effect },
        { title: 'Description', value: m => m.description || '' },
        { title: 'Source', value: m => h('span', { class: 'mono' }, m.source) },
      ], rows, { empty: 'No magic value matches.' }));
    }

    const reload = h('button', { type: 'button', class: 'primary', id: 'scenario-reload' }, 'Reload scenario files');
    reload.addEventListener('click', async () => {
      reload.disabled = true;
      try {
        const r = await post('/scenarios/reload');
        ctx.notify(`Reloaded: ${r.loaded.join(', ')}`);
        await load();
        showErrors([], '');
      } catch (e) {
        if (e instanceof ApiError && e.status === 422) {
          await load();
          showErrors(e.body.errors, 'Reload rejected (the previous version of each file stays in use):');
          ctx.notify('Reload rejected: see the errors.', 'error');
        } else ctx.notify(e.message, 'error');
      } finally {
        reload.disabled = false;
      }
    });
    search.addEventListener('input', drawMagic);
    replace(ctx.main, h('h1', {}, 'Scenarios'),
      h('p', {}, reload, ' ', h('span', { class: 'muted' }, 'Reads every file under the scenarios folder again; a file with an error keeps its last good version.')),
      errors, choice, h('h2', {}, 'Loaded sets'), sets,
      h('h2', {}, 'Magic values'), h('div', { class: 'row panel' }, field('Search', search)), magicList);
    await load();
  },
};
