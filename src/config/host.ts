import { isIPv6 } from 'node:net';

// The rule for a target's host, with no schema library behind it: the config schema and the command
// line (`check -H`, `watch HOST:PORT`) share it, and a one-shot check need not load zod.

const HOST_RE = /^(\[[0-9A-Fa-f:.]+(%[\w.-]+)?\]|[0-9A-Fa-f:.]+(%[\w.-]+)?|[A-Za-z0-9_]([A-Za-z0-9_.-]{0,252}))$/;
const HOST_HINT = 'expected a host name or IP address (letters, digits, ".", "-", ":"; no spaces or scheme)';

/** A port written into the host ("127.0.0.1:22", "db1:5432", "[::1]:22"): the host and port apart. */
function splitHostPort(h: string): { host: string; port: string } | undefined {
  const bracketed = /^\[([^\]]*)\]:(\d{1,5})$/.exec(h);
  if (bracketed) return { host: bracketed[1]!, port: bracketed[2]! };
  // isIPv6 compiles a large regular expression at its first call (~5 ms of a one-shot start).
  if (h.startsWith('[') || (h.includes(':') && isIPv6(h))) return undefined;
  const plain = /^([^:]+):(\d{1,5})$/.exec(h);
  return plain ? { host: plain[1]!, port: plain[2]! } : undefined;
}

/** What is wrong with a host as written, or undefined when it is a usable name or address. */
export function hostProblem(h: string): string | undefined {
  if (h.length === 0) return 'expected a host name or IP address';
  if (h.length > 253) return 'expected a host name of at most 253 characters';
  const split = splitHostPort(h);
  if (split) return `a port does not belong in "host": write "host": ${JSON.stringify(split.host)} and "port": ${Number(split.port)}`;
  const inner = h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : undefined;
  if (!HOST_RE.test(h) || (inner !== undefined && !isIPv6(inner)) || (inner === undefined && h.includes(':') && !isIPv6(h))) return HOST_HINT;
  return undefined;
}

/** The host as the probe dials it: an IPv6 literal without its brackets. */
export function normalizeHost(h: string): string {
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}
