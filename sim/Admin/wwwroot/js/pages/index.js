// The console's pages, in navigation order. A page is {id, title, tenant: whether it is about one tenant,
// render(ctx) → an optional refresh function the shell calls every 3 s while auto-refresh is on}.
import tenants from './tenants.js';
import orders from './orders.js';
import clock from './clock.js';
import callbacks from './callbacks.js';
import inbox from './inbox.js';
import journal from './journal.js';
import scenarios from './scenarios.js';
import faults from './faults.js';
import messages from './messages.js';
import signatures from './signatures.js';
import tmc from './tmc.js';
import qimen from './qimen.js';

export const pages = [tenants, orders, clock, callbacks, inbox, journal, scenarios, faults, messages, signatures];

/**
 * Pages shown only when the admin API offers them: when GET /admin/api/suppliers lists the module named `supplier`,
 * or the OpenAPI description has `path`. A supplier's page is one module file here and one line in this list.
 */
export const extensions = [tmc, qimen];
