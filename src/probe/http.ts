import type { Session } from './session.js';
import type { HttpInfo } from './types.js';

export interface HttpLayer {
  path: string;
  /** Accepted statuses; default any 2xx or 3xx. */
  expectStatus?: number[];
  /** Host header; default the target's host (with the port when it is not the scheme's own). */
  host: string;
}

export class HttpStatusMismatch extends Error {
  constructor(
    message: string,
    readonly info: HttpInfo,
  ) {
    super(message);
  }
}

function statusOk(status: number, expect: number[] | undefined): boolean {
  return expect?.length ? expect.includes(status) : status >= 200 && status < 400;
}

/** One GET with Connection: close; only the status line is read, the body is left to the polite close. */
export async function runHttp(s: Session, h: HttpLayer): Promise<HttpInfo> {
  s.send(`GET ${h.path} HTTP/1.1\r\nHost: ${h.host}\r\nUser-Agent: porthole\r\nAccept: */*\r\nConnection: close\r\n\r\n`);
  let status = 0;
  await s.expect((buf) => {
    const end = buf.indexOf(0x0a);
    if (end < 0) return buf.length >= 1024 ? { ok: false, note: 'status line too long' } : 'more';
    const m = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(buf.subarray(0, end).toString('latin1'));
    if (!m) return { ok: false, note: 'not an HTTP response' };
    status = Number(m[1]);
    return { ok: true };
  }, 'an HTTP status line');
  const info: HttpInfo = { status, ttfbMs: s.replyMs ?? 0, matched: statusOk(status, h.expectStatus) };
  if (!info.matched) {
    const wanted = h.expectStatus?.length ? h.expectStatus.join(' or ') : '2xx or 3xx';
    throw new HttpStatusMismatch(`HTTP ${status}, expected ${wanted}`, info);
  }
  return info;
}
