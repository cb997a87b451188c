/** Redirects as browsers and curl follow them (RFC 9110 §15.4), for the API check and the RDAP client. */

export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

export interface Hop {
  url: URL;
  method: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body?: Buffer;
}

export type NextHop = { hop: Hop } | { refused: string };

/**
 * The request a redirect answer leads to: 303 (and 301/302 after a POST) become a GET without a body,
 * 307/308 keep method and body. `own` headers (credentials) go to `origin` only; another origin gets
 * `plain` ones. Undefined when the answer is not a redirect.
 */
export function nextHop(from: Hop, status: number, location: string | undefined, origin: string, plain: Record<string, string>): NextHop | undefined {
  if (!REDIRECT_STATUSES.has(status) || location === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(location, from.url);
  } catch {
    return { refused: `HTTP ${status} redirects to an invalid Location` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { refused: `HTTP ${status} redirects to ${url.protocol} (only http and https are followed)` };
  const toGet = status === 303 || ((status === 301 || status === 302) && from.method === 'POST');
  const method = toGet && from.method !== 'HEAD' ? 'GET' : from.method;
  let headers = url.origin === origin ? from.headers : plain;
  if (toGet) headers = Object.fromEntries(Object.entries(headers).filter(([k]) => k !== 'content-type'));
  return { hop: { url, method, headers, ...(toGet || !from.body ? {} : { body: from.body }) } };
}
