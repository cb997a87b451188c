import type { z } from 'zod';
import { hasEnvRef } from './env.js';
import { formatPath, type Problem } from './problems.js';
import { STEP_KEYS } from './probe-schema.js';
import { KNOWN_KEYS } from './schema.js';
import { isSecretPath } from './secret-paths.js';
import { didYouMean } from './suggest.js';

export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p];
  }
  return cur;
}

function knownKeysFor(path: readonly PropertyKey[], input?: unknown): readonly string[] {
  if (path.length === 0) return KNOWN_KEYS.root;
  if (path[0] === 'alerts') return KNOWN_KEYS.alerts;
  if (path[0] === 'maintenance') return KNOWN_KEYS.maintenance;
  if (path[0] === 'notifiers') {
    const type = valueAt(input, [...path, 'type']);
    return typeof type === 'string' ? (KNOWN_KEYS.notifier[type] ?? []) : [];
  }
  if (path[0] === 'defaults') return KNOWN_KEYS.defaults;
  if (path[0] === 'targets') {
    // "http" is a tcp target's HTTP layer, or an http target's API check.
    if (path[2] === 'http' && valueAt(input, [path[0], path[1] ?? 0, 'kind']) !== 'http') return KNOWN_KEYS.targetHttp;
    if (path[2] === 'steps') return STEP_KEYS;
    const block = typeof path[2] === 'string' ? KNOWN_KEYS.kindBlock[path[2]] : undefined;
    return block ?? KNOWN_KEYS.target;
  }
  return [];
}

/** What kind of value it is, without the value: for secrets, and for values too big to quote. */
export function kindOf(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'number') return Number.isFinite(v) ? 'a number' : 'a number too large to use';
  if (typeof v === 'boolean') return String(v);
  return 'text';
}

export function describeValue(v: unknown): string {
  if (v === null || typeof v === 'object' || v === undefined) return kindOf(v);
  if (typeof v === 'number' && !Number.isFinite(v)) return kindOf(v);
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/**
 * ", got …" for a problem at a path. A secret is never quoted (for text, the message already says
 * what is wrong with it); a value written as ${env:NAME} is quoted as written, not as the value.
 */
function gotText(path: readonly PropertyKey[], value: unknown, written: unknown): string {
  if (isSecretPath(path)) return typeof value === 'string' ? '' : `, got ${kindOf(value)}`;
  if (typeof written === 'string' && hasEnvRef(written)) return `, got ${describeValue(written)} (its value is not shown)`;
  return `, got ${describeValue(value)}`;
}

/** zod's own wording ("Invalid input: expected object, received null") without the "received" part. */
function ownWording(message: string): string {
  const m = /^Invalid input: expected (\w+), received \w+$/.exec(message);
  return m ? `expected ${m[1] === 'object' ? 'an object' : m[1] === 'array' ? 'a list' : m[1]}` : message;
}

/**
 * Turns zod issues into problems a person can act on: path, expectation, what was there. `written`
 * is the config as in the file (before ${env:}), `input` what was validated.
 */
export function zodProblems(issues: readonly z.core.$ZodIssue[], input: unknown, prefix: PropertyKey[] = [], written: unknown = input): Problem[] {
  const out: Problem[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysFor(issue.path, input);
      for (const key of issue.keys) {
        const guess = didYouMean(key, known);
        out.push({
          path: formatPath([...path, key]),
          message: `unknown key "${key}"${guess ? ` — did you mean "${guess}"?` : ''}${known.length ? ` (allowed: ${known.join(', ')})` : ''}`,
        });
      }
      continue;
    }
    if (issue.code === 'invalid_union' && issue.errors.length > 0 && !issue.message.startsWith('expected')) {
      out.push(...zodProblems(issue.errors[0] ?? [], input, prefix, written));
      continue;
    }
    const value = valueAt(input, issue.path);
    const quoted = issue.code === 'custom' && (issue.message.startsWith('unknown service') || issue.message.startsWith('a port does not belong'));
    const got = quoted ? '' : gotText(issue.path, value, valueAt(written, issue.path));
    out.push({ path: formatPath(path), message: `${ownWording(issue.message)}${got}` });
  }
  return out;
}
