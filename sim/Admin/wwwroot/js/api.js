// The admin API as the console calls it: JSON over fetch, the admin token (asked once, kept for the browser session)
// as a bearer token, and errors as ApiError carrying the problem details' message.

const TOKEN_KEY = 'sandbox.adminToken';

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }

  get unauthorized() { return this.status === 401 || this.status === 403; }
}

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY) || '',
  set: value => value ? sessionStorage.setItem(TOKEN_KEY, value) : sessionStorage.removeItem(TOKEN_KEY),
};

const listeners = new Set();

/** Called with the ApiError whenever the server refuses the token (401/403), so the shell can ask for one. */
export function onUnauthorized(callback) { listeners.add(callback); }

export async function api(path, { method = 'GET', body, query } = {}) {
  const url = new URL('/admin/api' + path, location.origin);
  for (const [k, v] of Object.entries(query || {}))
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, v);
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const t = token.get();
  if (t) headers.Authorization = 'Bearer ' + t;
  let response;
  try {
    response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, 'the sandbox did not answer (' + e.message + ')');
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = text; }
  }
  if (!response.ok) {
    const message = (data && (data.detail || data.error)) || `${response.status} ${response.statusText}`;
    const error = new ApiError(response.status, message, data);
    if (error.unauthorized) listeners.forEach(l => l(error));
    throw error;
  }
  return data;
}

export const get = (path, query) => api(path, { query });
export const post = (path, body, query) => api(path, { method: 'POST', body: body ?? {}, query });
export const put = (path, body) => api(path, { method: 'PUT', body });
export const del = (path, query) => api(path, { method: 'DELETE', query });

/** Tenant ids in paths. */
export const seg = s => encodeURIComponent(s);
