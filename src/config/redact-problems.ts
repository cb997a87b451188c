import type { Problem } from './problems.js';
import { isSecretPath } from './secret-paths.js';

const ENV_REF = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Every string at a secret path, as written and after ${env:}, and every ${env:} value used anywhere. */
function secretStrings(written: unknown, substituted: unknown, env: NodeJS.ProcessEnv): string[] {
  const out = new Set<string>();
  const add = (s: unknown) => {
    if (typeof s === 'string' && s.length >= 4) out.add(s);
  };
  const walk = (w: unknown, v: unknown, path: PropertyKey[]) => {
    if (typeof w === 'string') {
      for (const m of w.matchAll(ENV_REF)) add(env[m[1]!]);
      if (isSecretPath(path) && path.length > 2) {
        add(w);
        add(v);
      }
    } else if (typeof w === 'number' && isSecretPath(path) && path.length > 2) add(String(w));
    else if (w !== null && typeof w === 'object') {
      const sub = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>) : {};
      for (const [k, x] of Object.entries(w)) walk(x, sub[Array.isArray(w) ? Number(k) : k], [...path, Array.isArray(w) ? Number(k) : k]);
    }
  };
  walk(written, substituted, []);
  return [...out].sort((a, b) => b.length - a.length);
}

/**
 * Last line of defence for the messages of a config that failed: whatever a message quotes (a
 * service name, an escape error, a did-you-mean), no secret and no ${env:} value is in it.
 */
export function redactProblems(problems: readonly Problem[], written: unknown, substituted: unknown, env: NodeJS.ProcessEnv): Problem[] {
  const secrets = secretStrings(written, substituted, env);
  if (secrets.length === 0) return [...problems];
  return problems.map((p) => {
    let message = p.message;
    for (const s of secrets) message = message.split(s).join('[hidden]');
    return message === p.message ? p : { ...p, message };
  });
}
