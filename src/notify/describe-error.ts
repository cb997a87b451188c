/** Turns what fetch, nodemailer and child processes throw into the one line a person needs. */

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  hostname?: unknown;
  address?: unknown;
  port?: unknown;
  response?: unknown;
  responseCode?: unknown;
  command?: unknown;
}

function chain(err: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  let cur: unknown = err;
  for (let depth = 0; depth < 5 && cur !== null && typeof cur === 'object'; depth++) {
    out.push(cur as ErrorLike);
    cur = (cur as ErrorLike).cause;
  }
  return out;
}

const TLS_CODE = /^(CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|ERR_TLS|ERR_SSL|HOSTNAME_MISMATCH|ERR_CERT)/;

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : typeof v === 'number' ? String(v) : undefined;
}

export function describeSendError(err: unknown, timeoutMs: number): string {
  const links = chain(err);
  for (const e of links) {
    const code = str(e.code) ?? '';
    const where = str(e.address) ? `${str(e.address)}${str(e.port) ? `:${str(e.port)}` : ''}` : str(e.hostname) ?? '';
    if (e.name === 'TimeoutError' || e.name === 'AbortError' || code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT') {
      return `timeout: no answer within ${timeoutMs}ms${where ? ` from ${where}` : ''}`;
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EDNS') return `DNS: cannot resolve ${str(e.hostname) ?? (str(e.message) ?? 'the host')}${code === 'EAI_AGAIN' ? ' (temporary failure)' : ''}`;
    if (code === 'ECONNREFUSED') return `refused: nothing listens on ${where || 'the server'} (ECONNREFUSED)`;
    if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `unreachable: no route to ${where || 'the server'} (${code})`;
    if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET') return `connection reset by ${where || 'the server'} (${code})`;
    if (TLS_CODE.test(code)) return `TLS: ${str(e.message) ?? code} (${code})`;
    const response = str(e.response);
    if (response) return `SMTP: ${str(e.command) ? `${str(e.command)} → ` : ''}${response}`;
  }
  const first = links[0];
  const last = links[links.length - 1];
  const message = str(last?.message) ?? str(first?.message) ?? String(err);
  const code = str(last?.code) ?? str(first?.code);
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

/** A short, single-line excerpt of a response body. */
export function bodyExcerpt(body: string, max = 200): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
