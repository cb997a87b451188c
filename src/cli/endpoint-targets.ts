import { hostProblem, normalizeHost } from '../config/host.js';
import { BUILTIN_DEFAULTS, formatHostPort, resolveTarget, type Defaults, type Target } from '../config/target.js';
import { parseEndpoint } from '../config/endpoint.js';

/** Targets from `HOST:PORT` / `HOST:SERVICE` / `[V6]:PORT` arguments, or what is wrong with the first bad one. */
export function targetsFromEndpoints(specs: readonly string[], defaults: Defaults = BUILTIN_DEFAULTS): Target[] | { error: string } {
  const targets: Target[] = [];
  for (const [i, spec] of specs.entries()) {
    const ep = parseEndpoint(spec);
    if ('error' in ep) return { error: ep.error };
    const problem = hostProblem(ep.host);
    if (problem) return { error: `"${spec}": ${problem}` };
    const host = normalizeHost(ep.host);
    const name = formatHostPort(host, ep.port);
    targets.push(resolveTarget({ host, port: ep.port, ...(ep.service ? { service: ep.service } : {}), name, id: `${i}:${name}` }, defaults));
  }
  return targets;
}
