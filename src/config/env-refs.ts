import { hasEnvRef } from './env.js';
import { formatPath, type Problem } from './problems.js';

/** Every string holding a `${env:}` reference, by its JSON path ("headers.Authorization"). */
export function envReferences(value: unknown, path: (string | number)[] = [], out = new Map<string, string>()): Map<string, string> {
  if (typeof value === 'string') {
    if (hasEnvRef(value)) out.set(formatPath(path), value);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => envReferences(v, [...path, i], out));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) envReferences(v, [...path, k], out);
  }
  return out;
}

/**
 * `${env:}` references are the config file's: a target that arrives over the agent API, the console's
 * form or the cluster's shared list may not bring new ones, or whoever can send a target could have
 * any environment variable of the agent sent to a listener of theirs. An edit may keep the references
 * the target already had, unchanged and where they were.
 */
export function foreignEnvReferences(raw: unknown, allowed: ReadonlyMap<string, string> = new Map()): Problem[] {
  const problems: Problem[] = [];
  for (const [path, text] of envReferences(raw)) {
    if (allowed.get(path) === text) continue;
    problems.push({ path, message: '${env:} references are read only from the config file; a target added or changed here cannot name one (write the target in the config file instead)' });
  }
  return problems;
}
