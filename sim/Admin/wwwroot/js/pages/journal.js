// The request journal of a tenant, newest first, with filters (supplier, operation, result by the supplier's own
// success codes, signature verdict), and the counts per operation.
import { get } from '../api.js';
import { h, replace, table, time, badge, code, field, select, keepOpen } from '../dom.js';

export default {
  id: 'journal',
  title: 'Journal',
  tenant: true,
  async render(ctx) {
    const q = ctx.query;
    const supplier = select([['', 'all'], ...ctx.state.suppliers.map(s => s.name)], q.get('supplier') || '', { id: 'journal-supplier' });
    const operation = h('input', { id: 'journal-operation', value: q.get('operation') || '', size: 18, list: 'journal-operations', spellcheck: 'false' });
    const operations = h('datalist', { id: 'journal-operations' },
      ctx.state.suppliers.flatMap(s => s.operations.map(o => o.name)).filter((v, i, a) => a.indexOf(v) === i).map(n => h('option', { value: n })));
    const result = select([['', 'any'], 'ok', 'error'], q.get('result') || '', { id: 'journal-result' });
    const signature = select([['', 'any'], 'ok', 'failed', 'none'], q.get('signature') || '', { id: 'journal-signature' });
    const list = h('div', { id: 'journal-list' });
    const counts = h('div', { id: 'journal-counts' });

    async function load() {
      const [rows, c] = await Promise.all([
        get('/journal', { tenant: ctx.tenant, supplier: supplier.value, operation: operation.value.trim(), result: result.value, signature: signature.value, limit: 200 }),
        get('/journal/counts', { tenant: ctx.tenant }),
      ]);
      keepOpen(list, () => replace(list, rows.length ? rows.map(r => h('details', { class: 'item', 'data-key': 'j' + r.id },
        h('summary', {}, time(r.at), ' ', h('strong', {}, r.supplier + ' ' + (r.operation || '—')), ' ', badge(r.result === 'ok' ? 'ok' : 'error', r.result === 'ok' ? 'ok' : 'bad'),
          ' ', h('span', { class: 'muted' }, `code ${r.resultCode ?? '—'}, HTTP ${r.httpStatus}, signature `), badge(r.signature, r.signature === 'failed' ? 'bad' : r.signature === 'ok' ? 'ok' : ''),
          h('span', { class: 'muted' }, ` ${r.durationMs} ms`), r.entity ? h('span', { class: 'mono muted' }, ' ' + r.entity) : null),
        h('p', { class: 'mono' }, r.method + ' ' + r.path),
        r.diagnostic ? h('p', { class: 'mono' }, r.diagnostic) : null,
        h('div', { class: 'grid2' }, code(r.request, 'Request'), code(r.response, 'Response'))))
        : h('p', { class: 'muted' }, 'No requests match.')));
      replace(counts, table([
        { title: 'Supplier', value: o => o.supplier },
        { title: 'Operation', value: o => o.operation },
        { title: 'Requests', value: o => o.requests, class: 'num' },
        { title: 'Signatures verified', value: o => o.signatureVerified, class: 'num' },
        { title: 'Signature failures', value: o => o.signatureFailures, class: 'num' },
        { title: 'Errors', value: o => o.errors ? badge(o.errors, 'bad') : 0, class: 'num' },
      ], c.operations, { empty: 'No requests counted since the server started.' }),
      c.dropped ? h('p', { class: 'muted' }, `${c.dropped} entries were dropped (journal full).`) : null);
    }

    for (const c of [supplier, operation, result, signature]) c.addEventListener('change', load);
    replace(ctx.main, h('h1', {}, `Journal of ${ctx.tenant}`),
      h('div', { class: 'row panel' }, field('Supplier', supplier), field('Operation', operation), operations, field('Result', result), field('Signature', signature)),
      h('h2', {}, 'Per operation (since the server started)'), counts,
      h('h2', {}, 'Requests'), list);
    await load();
    return load;
  },
};
