/** Notifier keys whose values are secrets: never printed, valid or not, literal or from ${env:}. */
export const SECRET_NOTIFIER_KEYS: ReadonlySet<string> = new Set(['token', 'password', 'user', 'url', 'headers']);

/** Cluster keys whose values are secrets (a NATS URL may carry user:password@). */
export const SECRET_CLUSTER_KEYS: ReadonlySet<string> = new Set(['token', 'password', 'nkey', 'url', 'urls']);

/**
 * True for a JSON path whose value must never be shown: a secret key of a notifier (and everything
 * under it, such as one header), or a notifier / the notifiers section as a whole (they hold them),
 * or one request header value of a target.
 */
export function isSecretPath(path: readonly PropertyKey[]): boolean {
  if (path[0] === 'cluster') return path.length >= 2 && SECRET_CLUSTER_KEYS.has(String(path[1]));
  // An API check's request headers (targets[i].headers.NAME): every value may carry a credential.
  if (path[0] === 'targets') return path.length > 3 && path.indexOf('headers', 2) >= 2;
  if (path[0] !== 'notifiers') return false;
  if (path.length <= 2) return true;
  return SECRET_NOTIFIER_KEYS.has(String(path[2]));
}

/**
 * What an API check sends (an http target's `http.url`, `http.headers`, `http.body`): the same, its
 * ${env:} references are filled in per request (src/checks/http/check.ts), so the secret is not in the
 * target the console saves or the agent API serves.
 */
export function isApiRequestPath(path: readonly PropertyKey[]): boolean {
  return path[0] === 'targets' && typeof path[1] === 'number' && path[2] === 'http' && (path[3] === 'url' || path[3] === 'headers' || path[3] === 'body');
}

/** Paths whose ${env:} references stay as written in the target (their variables are still checked at load). */
export function isDeferredEnvPath(path: readonly PropertyKey[]): boolean {
  return isSentTextPath(path) || isApiRequestPath(path);
}

/**
 * What a check sends (`send`, a step's `send`): its ${env:} references stay in the target as written
 * and are filled in only on the wire, so config show, the console's saved targets and the agent API
 * carry the reference, never the value (src/probe/send-bytes.ts).
 */
export function isSentTextPath(path: readonly PropertyKey[]): boolean {
  if (path[0] !== 'targets' || typeof path[1] !== 'number') return false;
  return (path.length === 3 && path[2] === 'send') || (path.length === 5 && path[2] === 'steps' && typeof path[3] === 'number' && path[4] === 'send');
}

/** A URL as scheme://host:port, with "/…" when it has a path or query: the rest may hold a key. */
export function urlForDisplay(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (!['http:', 'https:', 'nats:', 'tls:'].includes(u.protocol)) return undefined;
  const rest = (u.pathname !== '/' && u.pathname !== '') || u.search !== '' || u.hash !== '' ? '/…' : '';
  return `${u.protocol}//${u.host}${rest}`;
}
