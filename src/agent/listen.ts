import { isIP } from 'node:net';

export interface ListenAddress {
  host: string;
  port: number;
}

/** Loopback unless told otherwise: anything else must be asked for with --listen. */
export const DEFAULT_LISTEN: ListenAddress = { host: '127.0.0.1', port: 9178 };

/** `HOST:PORT`, `[V6]:PORT` or `PORT` (on 127.0.0.1); port 0 picks a free one. */
export function parseListen(text: string): ListenAddress | { error: string } {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:[\]]+):(\d+)$/.exec(text) ?? /^()(\d+)$/.exec(text);
  if (!m) return { error: `--listen expects HOST:PORT, [IPv6]:PORT or PORT, got "${text}"` };
  const host = m[1] || DEFAULT_LISTEN.host;
  const port = Number(m[2]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return { error: `--listen: port must be from 0 to 65535, got "${m[2]}"` };
  if (host !== 'localhost' && !isIP(host)) return { error: `--listen expects an IP address to bind to (or localhost), got "${host}"` };
  return { host, port };
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}
