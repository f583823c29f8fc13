// The tenant's virtual clock: now (virtual and real), freeze and unfreeze, advance by a duration or to an instant,
// with the summary of what the replay of the window ran, and the recent clock changes.
import { get, put, post, seg } from '../api.js';
import { h, replace, time, table, badge, field } from '../dom.js';

export default {
  id: 'clock',
  title: 'Clock',
  tenant: true,
  async render(ctx) {
    const path = `/tenants/${seg(ctx.tenant)}/clock`;
    const now = h('div', { class: 'panel', id: 'clock-now' });
    const summary = h('div', { id: 'clock-summary', role: 'status' });
    const history = h('div');
    const by = h('input', { id: 'advance-by', value: 'PT2M', size: 10, spellcheck: 'false' });
    const at = h('input', { id: 'set-at', type: 'datetime-local', step: 1 });

    async function change(request, what) {
      try {
        const c = await request();
        if (c.fired !== undefined)
          replace(summary, h('p', { class: 'panel' }, h('strong', {}, what + ': '), `${c.fired} timer${c.fired === 1 ? '' : 's'} fired, ${c.callbacks} callback attempt${c.callbacks === 1 ? '' : 's'} made, until `, time(c.until)));
        await load();
      } catch (e) {
        ctx.notify(e.message, 'error');
      }
    }

    async function load() {
      const [c, events] = await Promise.all([get(path), get(`/tenants/${seg(ctx.tenant)}/events`, { kind: 'clock', limit: 20 })]);
      replace(now,
        h('div', { class: 'row' },
          h('div', {}, h('div', { class: 'muted' }, 'Virtual now'), h('div', { class: 'big', id: 'clock-virtual' }, time(c.now))),
          h('div', {}, h('div', { class: 'muted' }, 'Real now'), h('div', { class: 'big' }, time(c.real))),
          h('div', {}, h('div', { class: 'muted' }, 'State'), h('div', {}, c.frozen ? badge('frozen', 'warn') : badge('running', 'ok'), ' offset ', h('span', { class: 'mono' }, c.offset)))),
        h('div', { class: 'row', style: 'margin-top:10px' },
          c.frozen
            ? h('button', { type: 'button', onclick: () => change(() => put(path, { frozen: false }), 'Unfrozen') }, 'Unfreeze')
            : h('button', { type: 'button', onclick: () => change(() => put(path, { frozen: true }), 'Frozen') }, 'Freeze'),
          h('button', { type: 'button', onclick: () => change(() => put(path, { offset: 'PT0S', frozen: c.frozen }), 'Back to real time') }, 'Back to real time')));
      replace(history, table([
        { title: 'Changed at (real)', value: e => time(e.at) },
        { title: 'Change', value: e => e.detail.change },
        { title: 'From (virtual)', value: e => time(e.detail.from) },
        { title: 'To (virtual)', value: e => time(e.detail.to) },
        { title: 'By', value: e => h('span', { class: 'mono' }, e.detail.by) },
        { title: 'Fired', value: e => e.detail.fired, class: 'num' },
        { title: 'Callback attempts', value: e => e.detail.callbacks, class: 'num' },
      ], events, { empty: 'The clock was never changed.' }));
    }

    const advance = h('form', { class: 'row' },
      field('Advance by', by, 'ISO 8601 (PT2M, PT2H, P1D) or 90s, 5m'),
      h('button', { type: 'submit', class: 'primary' }, 'Advance'),
      ['PT1M', 'PT5M', 'PT1H', 'P1D'].map(d => h('button', { type: 'button', onclick: () => { by.value = d; advance.requestSubmit(); } }, '+' + d.replace(/^PT?/, '').toLowerCase())));
    advance.addEventListener('submit', e => {
      e.preventDefault();
      change(() => post(path + '/advance', { by: by.value.trim() }), 'Advanced ' + by.value.trim());
    });
    const set = h('form', { class: 'row' }, field('Set to (your time zone)', at), h('button', { type: 'submit' }, 'Set'));
    set.addEventListener('submit', e => {
      e.preventDefault();
      if (!at.value) return at.focus();
      change(() => put(path, { now: new Date(at.value).toISOString() }), 'Set');
    });

    replace(ctx.main, h('h1', {}, `Clock of ${ctx.tenant}`),
      h('p', { class: 'hint' }, 'Advancing replays the window like a test clock: every timer due in it (transitions, expiries, callback retries) runs at its own virtual instant, and callbacks are really sent.'),
      now, h('div', { class: 'panel' }, advance, h('div', { style: 'margin-top:8px' }, set)), summary,
      h('h2', {}, 'Recent changes'), history);
    await load();
    return load;
  },
};
