import { displayUrl } from './secrets.js';

const ONLY_ENV_REF = /^(?:[^$]*)\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$/;
const HIDDEN = '<hidden: write it as ${env:NAME}>';

/**
 * An API check's keys as `config show` prints them: a header value only as `${env:NAME}` (with the
 * text before it, such as "Bearer "), anything else hidden; the URL without its query. Other keys
 * unchanged.
 */
export function httpConfigForDisplay<T extends { url: string; headers?: Record<string, string> }>(c: T): T {
  let url = c.url;
  try {
    if (!c.url.includes('${env:')) url = displayUrl(new URL(c.url));
  } catch {
    url = HIDDEN;
  }
  const headers = c.headers ? Object.fromEntries(Object.entries(c.headers).map(([k, v]) => [k, ONLY_ENV_REF.test(v) ? v : HIDDEN])) : undefined;
  return { ...c, url, ...(headers ? { headers } : {}) };
}
