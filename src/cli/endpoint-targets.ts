import { hostSchema } from '../config/schema.js';
import { BUILTIN_DEFAULTS, formatHostPort, resolveTarget, type Defaults, type Target } from '../config/target.js';
import { parseEndpoint } from './endpoint.js';

/** Targets from `HOST:PORT` / `HOST:SERVICE` / `[V6]:PORT` arguments, or what is wrong with the first bad one. */
export function targetsFromEndpoints(specs: readonly string[], defaults: Defaults = BUILTIN_DEFAULTS): Target[] | { error: string } {
  const targets: Target[] = [];
  for (const [i, spec] of specs.entries()) {
    const ep = parseEndpoint(spec);
    if ('error' in ep) return { error: ep.error };
    const host = hostSchema.safeParse(ep.host);
    if (!host.success) return { error: `"${spec}": ${host.error.issues[0]?.message ?? 'invalid host'}` };
    const name = formatHostPort(host.data, ep.port);
    targets.push(resolveTarget({ host: host.data, port: ep.port, ...(ep.service ? { service: ep.service } : {}), name, id: `${i}:${name}` }, defaults));
  }
  return targets;
}
