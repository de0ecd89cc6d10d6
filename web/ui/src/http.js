// Requests to the server's API, relative to the page (so the map works behind a path prefix).

/** The server's error text of a failed answer ({"error": …}), else its status. */
async function errorMessage(res) {
  try {
    const body = await res.json();
    return body && body.error ? String(body.error) : `HTTP ${res.status}`;
  } catch {
    return `HTTP ${res.status}`;
  }
}

/**
 * GET a JSON answer: { ok: true, status, body } or { ok: false, status, message }. A network
 * failure (or an abort through `signal`) throws, as fetch does.
 */
export async function getJSON(path, { signal } = {}) {
  const res = await fetch(new URL(path, document.baseURI), { signal, headers: { Accept: 'application/json' } });
  if (res.ok) return { ok: true, status: res.status, body: await res.json() };
  return { ok: false, status: res.status, message: await errorMessage(res) };
}

/** url made absolute against the page; absolute URLs unchanged. */
export function absoluteURL(url, base = globalThis.document ? document.baseURI : undefined) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || !base) return url;
  return new URL(url, base).href;
}
