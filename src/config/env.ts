import type { Problem } from './problems.js';
import { formatPath } from './problems.js';

const ENV_REF = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replaces `${env:NAME}` in every string of a parsed JSON value. A missing variable is a problem
 * naming the variable and where it was used. Returns a new value; the input is not touched.
 * `defer`: paths whose references stay as written (resolved when used), their variables still checked.
 */
export function substituteEnv(
  value: unknown,
  env: NodeJS.ProcessEnv,
  problems: Problem[],
  path: (string | number)[] = [],
  defer?: (path: readonly (string | number)[]) => boolean,
): unknown {
  if (typeof value === 'string') {
    const deferred = defer?.(path) === true;
    return value.replace(ENV_REF, (whole, name: string) => {
      const v = env[name];
      if (v === undefined) {
        problems.push({ path: formatPath(path), message: `environment variable ${name} is not set (used as ${whole})` });
        return deferred ? whole : '';
      }
      return deferred ? whole : v;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => substituteEnv(v, env, problems, [...path, i], defer));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    // defineProperty, not assignment: a "__proto__" key stays a key (and an unknown-key error) instead
    // of becoming the object's prototype, whose contents would then pass for config.
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, k, { value: substituteEnv(v, env, problems, [...path, k], defer), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

/** True when a string was written with an env reference (treated as a secret for display). */
export function hasEnvRef(s: string): boolean {
  ENV_REF.lastIndex = 0;
  return ENV_REF.test(s);
}
