/**
 * Where everything of a cluster lives on NATS. One place, so the README's diagram and the code agree.
 *
 *   porthole.result.<location>.<target>   each result of each agent (stream PORTHOLE_RESULTS)
 *   porthole.recheck.<target>             request: check now, every location answers (scatter-gather)
 *   KV porthole-targets                   the shared target list, one key per target id
 *   KV porthole-lease                     "aggregator": which agent sends the cluster's alerts (TTL)
 */
export const RESULT_PREFIX = 'porthole.result';
export const RESULTS_STREAM = 'PORTHOLE_RESULTS';
export const TARGETS_BUCKET = 'porthole-targets';
export const LEASE_BUCKET = 'porthole-lease';
export const LEASE_KEY = 'aggregator';
export const RECHECK_PREFIX = 'porthole.recheck';

/**
 * A target id as one subject token (and a KV key): ids may hold ".", a subject's separator, and
 * ":" "@" "/" which KV keys do not allow. Anything but letters, digits, "_" and "-" becomes "=XX".
 */
export function encodeToken(id: string): string {
  let out = '';
  for (const ch of id) {
    if (/^[A-Za-z0-9_-]$/.test(ch)) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function decodeToken(token: string): string {
  if (!token.includes('=')) return token;
  const bytes: number[] = [];
  for (let i = 0; i < token.length; i++) {
    if (token[i] === '=' && /^[0-9A-F]{2}$/.test(token.slice(i + 1, i + 3))) {
      bytes.push(parseInt(token.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(token.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}

export function resultSubject(location: string, targetId: string): string {
  return `${RESULT_PREFIX}.${location}.${encodeToken(targetId)}`;
}

export function recheckSubject(targetId: string): string {
  return `${RECHECK_PREFIX}.${encodeToken(targetId)}`;
}
