import { bodyExcerpt, describeSendError } from '../describe-error.js';

export type HttpOutcome = { ok: true; status: number; body: string } | { ok: false; error: string };

const MAX_BODY = 64 * 1024;

/** One JSON POST with a hard timeout over the whole exchange; never throws. */
export async function postJson(url: string, body: unknown, headers: Record<string, string>, timeoutMs: number): Promise<HttpOutcome> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'porthole', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    const text = await res.text();
    return { ok: true, status: res.status, body: text.length > MAX_BODY ? text.slice(0, MAX_BODY) : text };
  } catch (err) {
    return { ok: false, error: describeSendError(err, timeoutMs) };
  }
}

export function httpFailure(status: number, body: string): string {
  const excerpt = bodyExcerpt(body);
  return `HTTP ${status}${excerpt ? `: ${excerpt}` : ''}`;
}
