// Small DOM helpers: elements are built with the DOM API (text is never parsed as HTML), times shown as dates.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const pad = n => String(n).padStart(2, '0');

/** A date as "2027-03-01 10:02:03" in the browser's time zone; the exact instant is in the tooltip. */
export function date(value) {
  if (value === undefined || value === null || value === '') return '';
  const d = typeof value === 'number' ? new Date(value) : new Date(value);
  if (isNaN(d)) return String(value);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function time(value, label) {
  if (value === undefined || value === null || value === '') return h('span', { class: 'muted' }, '—');
  const d = new Date(value);
  return h('time', { datetime: isNaN(d) ? '' : d.toISOString(), title: (label ? label + ': ' : '') + (isNaN(d) ? value : d.toISOString()) }, date(value));
}

/** A status word as a coloured badge: green for success-like words, amber for waiting, red for failures. */
export function badge(text, kind) {
  const t = String(text ?? '');
  const k = kind || (/^(ok|delivered|acknowledged|redelivered|ticketed|success|acknowledge|1|0)$/i.test(t) ? 'ok'
    : /(pending|retry|slow|frozen|waiting|ready|inflight|delayed)/i.test(t) ? 'warn'
    : /(fail|error|abandon|gave-up|refuse|wrong|cancel|parked)/i.test(t) ? 'bad' : '');
  return h('span', { class: 'badge ' + k }, t);
}

export async function copy(text, button) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = h('textarea', { style: 'position:fixed;left:-999px' }, text);
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
  if (button) {
    const was = button.textContent;
    button.textContent = 'Copied';
    setTimeout(() => { button.textContent = was; }, 1200);
  }
}

export function copyButton(text, label = 'Copy') {
  const b = h('button', { type: 'button', class: 'small', title: 'Copy to the clipboard', 'aria-label': label === 'Copy' ? 'Copy ' + String(text).slice(0, 40) : label },
    'Copy');
  b.addEventListener('click', e => { e.stopPropagation(); copy(typeof text === 'function' ? text() : text, b); });
  return b;
}

/** A body as readable text: JSON indented, anything else as sent. */
export function pretty(body) {
  if (body === undefined || body === null) return '';
  if (typeof body !== 'string') return JSON.stringify(body, null, 2);
  const t = body.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try { return JSON.stringify(JSON.parse(t), null, 2); } catch { /* as sent */ }
  }
  return body;
}

export function code(body, label) {
  const text = pretty(body);
  return h('div', {}, label ? h('div', { class: 'muted' }, label, ' ', text ? copyButton(text, 'Copy ' + label) : null) : null,
    h('pre', { tabindex: '0' }, text || '(empty)'));
}

/**
 * A table of rows. Columns: {title, value(row) → node|text, class}. A row with an onOpen handler is a button for
 * the keyboard (Enter/Space) and the mouse.
 */
export function table(columns, rows, { onOpen, empty = 'Nothing yet.', key } = {}) {
  if (!rows.length) return h('p', { class: 'muted' }, empty);
  return h('table', {},
    h('thead', {}, h('tr', {}, columns.map(c => h('th', { scope: 'col', class: c.class }, c.title)))),
    h('tbody', {}, rows.map(r => {
      const tr = h('tr', { class: onOpen ? 'clickable' : '', dataset: key ? { key: key(r) } : undefined },
        columns.map(c => h('td', { class: c.class }, c.value(r))));
      if (onOpen) {
        tr.tabIndex = 0;
        tr.addEventListener('click', e => { if (!e.target.closest('button, a, input, select')) onOpen(r); });
        tr.addEventListener('keydown', e => { if ((e.key === 'Enter' || e.key === ' ') && e.target === tr) { e.preventDefault(); onOpen(r); } });
      }
      return tr;
    })));
}

/** A labelled form control. */
export function field(label, control, hint) {
  return h('label', { class: 'field' }, label, control, hint ? h('span', { class: 'muted' }, hint) : null);
}

export function select(options, value, attrs = {}) {
  return h('select', attrs, options.map(o => {
    const [v, text] = Array.isArray(o) ? o : [o, o];
    return h('option', { value: v, selected: v === value }, text);
  }));
}

/** Open <details> elements keep their state across a refresh when they carry data-key. */
export function keepOpen(container, render) {
  const open = new Set([...container.querySelectorAll('details[open][data-key]')].map(d => d.dataset.key));
  const focused = document.activeElement?.closest?.('[data-key]')?.dataset.key;
  render();
  for (const d of container.querySelectorAll('details[data-key]')) if (open.has(d.dataset.key)) d.open = true;
  if (focused) container.querySelector(`[data-key="${CSS.escape(focused)}"] summary, tr[data-key="${CSS.escape(focused)}"]`)?.focus();
}
