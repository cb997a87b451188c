import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { substituteEnv } from './env.js';
import { parseJsonText } from './json-text.js';
import { ConfigError, formatPath, type Problem } from './problems.js';
import { configSchema, KNOWN_KEYS, targetSchema, type ParsedConfig } from './schema.js';
import { didYouMean } from './suggest.js';
import { collectSecrets, notifyReferenceProblems, resolveAlerts, resolveMaintenance, type NotifyConfig } from './notify-config.js';
import { resolveDefaults, resolveTarget, type Defaults, type Target } from './target.js';

export interface LoadedConfig {
  file: string;
  /** The file as written (before ${env:} substitution), for display without secrets. */
  raw: unknown;
  defaults: Defaults;
  targets: Target[];
  /** The history directory from the config, as written (relative to the config file's directory). */
  dataDir?: string;
  /** Notifiers, alert policy and maintenance windows (empty when the config has none). */
  notify: NotifyConfig;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
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
  if (path[0] === 'targets') return path[2] === 'http' ? KNOWN_KEYS.targetHttp : KNOWN_KEYS.target;
  return [];
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** Turns zod issues into problems a person can act on: path, expectation, what was there. */
export function zodProblems(issues: readonly z.core.$ZodIssue[], input: unknown, prefix: PropertyKey[] = []): Problem[] {
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
      out.push(...zodProblems(issue.errors[0] ?? [], input, prefix));
      continue;
    }
    const value = valueAt(input, issue.path);
    const got = issue.code === 'custom' && issue.message.startsWith('unknown service') ? '' : `, got ${describeValue(value)}`;
    out.push({ path: formatPath(path), message: `${issue.message}${got}` });
  }
  return out;
}

function duplicateProblems(targets: Target[]): Problem[] {
  const problems: Problem[] = [];
  const names = new Map<string, number>();
  const ids = new Map<string, number>();
  targets.forEach((t, i) => {
    const n = names.get(t.name);
    if (n !== undefined) problems.push({ path: `targets[${i}].name`, message: `duplicate name "${t.name}" (also targets[${n}]); names must be unique` });
    else names.set(t.name, i);
    const d = ids.get(t.id);
    if (d !== undefined && n === undefined) problems.push({ path: `targets[${i}].id`, message: `duplicate id "${t.id}" (also targets[${d}]); ids must be unique` });
    else ids.set(t.id, i);
  });
  return problems;
}

/** Validates an already-parsed config object. Throws ConfigError listing every problem. */
export function validateConfig(file: string, raw: unknown, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const problems: Problem[] = [];
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(file, [{ path: '(top level)', message: `expected a JSON object with "targets", got ${describeValue(raw)}` }]);
  }
  const substituted = substituteEnv(raw, env, problems);
  const parsed = configSchema.safeParse(substituted);
  if (!parsed.success) {
    // One problem per path: a missing env var already explains the empty value it left behind,
    // and a failed check on a value makes the later checks on it noise.
    const seen = new Set(problems.map((p) => p.path));
    for (const p of zodProblems(parsed.error.issues, substituted)) {
      if (seen.has(p.path)) continue;
      seen.add(p.path);
      problems.push(p);
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(file, problems);
  const cfg: ParsedConfig = parsed.data;
  const defaults = resolveDefaults(cfg.defaults);
  const targets = cfg.targets.map((t) => resolveTarget(t, defaults));
  const dups = duplicateProblems(targets);
  if (dups.length > 0) throw new ConfigError(file, dups);
  const notifiers = cfg.notifiers ?? {};
  const references = notifyReferenceProblems(notifiers, defaults, targets, cfg.targets.map((t) => t.notify), cfg.maintenance);
  if (references.length > 0) throw new ConfigError(file, references);
  const notify: NotifyConfig = { notifiers, alerts: resolveAlerts(cfg.alerts), maintenance: resolveMaintenance(cfg.maintenance), secrets: collectSecrets(notifiers, raw, env) };
  return { file, raw, defaults, targets, ...(cfg.dataDir ? { dataDir: cfg.dataDir } : {}), notify };
}

export function loadConfigText(file: string, text: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const { value, problems } = parseJsonText(text);
  if (problems.length > 0) throw new ConfigError(file, problems);
  return validateConfig(file, value, env);
}

export function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : e.code === 'EISDIR' ? 'is a directory' : e.message;
    throw new ConfigError(file, [{ path: '(file)', message: `cannot read the config file: ${why}` }]);
  }
  return loadConfigText(file, text, env);
}

/** Validates one target object on its own (the console's add/edit form uses this). */
export function validateTarget(raw: unknown, defaults: Defaults): { target?: Target; problems: Problem[] } {
  const parsed = targetSchema.safeParse(raw);
  if (!parsed.success) return { problems: zodProblems(parsed.error.issues, raw) };
  return { target: resolveTarget(parsed.data, defaults), problems: [] };
}
