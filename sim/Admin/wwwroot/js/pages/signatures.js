// The signature calculator: paste a request as the integrator sends it, see what the supplier's module signs
// (the canonical string) and the value it expects, next to the value sent.
import { get, post, seg } from '../api.js';
import { h, replace, table, badge, copyButton, field, select } from '../dom.js';

export default {
  id: 'signatures',
  title: 'Signatures',
  tenant: false,
  async render(ctx) {
    const signers = await get('/signatures');
    if (!signers.length) {
      replace(ctx.main, h('h1', {}, 'Signature calculator'), h('p', {}, 'No supplier offers a calculator.'));
      return;
    }
    const supplier = select(signers.map(s => s.supplier), ctx.query.get('supplier') || signers[0].supplier, { id: 'sign-supplier' });
    const tenant = select([['', 'from the request’s credential'], ...ctx.state.tenants.map(t => t.id)], '', { id: 'sign-tenant' });
    const input = h('textarea', { id: 'sign-request', rows: 8, spellcheck: 'false' });
    const hint = h('p', { class: 'muted' });
    const out = h('div', { id: 'sign-result', role: 'status' });
    const showHint = () => { hint.textContent = 'Paste ' + signers.find(s => s.supplier === supplier.value).input; };
    supplier.addEventListener('change', showHint);
    showHint();
    const form = h('form', {},
      h('div', { class: 'row' }, field('Supplier', supplier), field('Tenant (whose secret signs)', tenant)),
      hint, field('Request', input), h('p', {}, h('button', { type: 'submit', class: 'primary' }, 'Calculate')));
    form.addEventListener('submit', async e => {
      e.preventDefault();
      try {
        const r = await post(`/suppliers/${seg(supplier.value)}/sign`, { request: input.value, tenant: tenant.value || undefined });
        replace(out, h('p', {}, `Signed with the credentials of tenant `, h('strong', {}, r.tenant), '.'), table([
          { title: 'Field', value: c => h('strong', {}, c.field) },
          { title: 'Canonical string', value: c => h('span', {}, h('code', { class: 'canonical' }, c.canonical), ' ', copyButton(c.canonical, 'Copy canonical string')) },
          { title: 'How', value: c => c.algorithm },
          { title: 'Expected', value: c => h('span', {}, h('code', { class: 'expected' }, c.expected), ' ', copyButton(c.expected, 'Copy expected value')) },
          { title: 'Sent', value: c => c.received === undefined || c.received === null ? h('span', { class: 'muted' }, 'none') : h('code', {}, c.received) },
          { title: 'Verdict', value: c => c.matches === undefined || c.matches === null ? '' : c.matches ? badge('matches', 'ok') : badge('does not match', 'bad') },
        ], r.checks));
      } catch (err) {
        replace(out, h('p', { class: 'errors' }, err.message));
      }
    });
    replace(ctx.main, h('h1', {}, 'Signature calculator'),
      h('p', { class: 'hint' }, 'Computed by each supplier module’s own signing code — the code that verifies requests. Secrets stay on the server.'),
      h('div', { class: 'panel' }, form), out);
  },
};
