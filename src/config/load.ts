import { resolveCluster, type ClusterConfig } from './cluster-schema.js';
import { clusterFileProblems } from './cluster-files.js';
import { substituteEnv } from './env.js';
import { envReferences, foreignEnvReferences } from './env-refs.js';
import { targetToConfig } from './display.js';
import { parseJsonText } from './json-text.js';
import { ConfigError, type Problem } from './problems.js';
import { configSchema, targetSchema, type ParsedConfig } from './schema.js';
import { collectSecrets, notifyReferenceProblems, resolveAlerts, resolveMaintenance, type NotifyConfig } from './notify-config.js';
import { resolveTarget, type Defaults, type Target } from './target.js';
import { duplicateProblems, sectionsOf, timingWarnings } from './cross-checks.js';
import { readConfigText } from './read-file.js';
import { redactProblems } from './redact-problems.js';
import { isDeferredEnvPath } from './secret-paths.js';
import { kindOf, zodProblems } from './zod-problems.js';

export { zodProblems } from './zod-problems.js';

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
  /** Agents at several locations over NATS (absent: a single machine). */
  cluster?: ClusterConfig;
  /** What is valid but worth saying (a timeout longer than the interval): printed by `config validate`. */
  warnings: Problem[];
}

/** Adds problems, one per path: the first thing wrong at a path explains the rest (an unset variable explains its empty value). */
function addOnePerPath(into: Problem[], more: readonly Problem[]): void {
  const seen = new Set(into.map((p) => p.path));
  for (const p of more) {
    if (seen.has(p.path)) continue;
    seen.add(p.path);
    into.push(p);
  }
}

/** Validates an already-parsed config object. Throws ConfigError listing every problem of every stage. */
export function validateConfig(file: string, raw: unknown, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(file, [{ path: '(top level)', message: `expected a JSON object with "targets", got ${kindOf(raw)}` }]);
  }
  const problems: Problem[] = [];
  const substituted = substituteEnv(raw, env, problems, [], isDeferredEnvPath) as Record<string, unknown>;
  const parsed = configSchema.safeParse(substituted);
  if (!parsed.success) addOnePerPath(problems, zodProblems(parsed.error.issues, substituted, [], raw));
  const sections = sectionsOf(substituted);
  addOnePerPath(problems, duplicateProblems(sections.targets));
  addOnePerPath(problems, notifyReferenceProblems(sections.notifierNames, sections.defaults.notify, sections.targets, sections.targetNotify, sections.maintenanceTargets));
  const warnings = redactProblems(timingWarnings(substituted, sections), raw, substituted, env);
  if (problems.length > 0 || !parsed.success) throw new ConfigError(file, redactProblems(problems, raw, substituted, env));
  const cfg: ParsedConfig = parsed.data;
  const fileProblems = cfg.cluster ? clusterFileProblems(cfg.cluster) : [];
  if (fileProblems.length > 0) throw new ConfigError(file, fileProblems);
  const notifiers = cfg.notifiers ?? {};
  const notify: NotifyConfig = { notifiers, alerts: resolveAlerts(cfg.alerts), maintenance: resolveMaintenance(cfg.maintenance), secrets: collectSecrets(notifiers, raw, env) };
  const targets = sections.targets.filter((t): t is Target => t !== undefined);
  return { file, raw, defaults: sections.defaults, targets, ...(cfg.dataDir ? { dataDir: cfg.dataDir } : {}), notify, ...(cfg.cluster ? { cluster: resolveCluster(cfg.cluster) } : {}), warnings };
}

export function loadConfigText(file: string, text: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const { value, problems } = parseJsonText(text);
  if (problems.length > 0) throw new ConfigError(file, problems);
  return validateConfig(file, value, env);
}

/** Reads (within the size limit, as UTF-8), parses (within the depth limit) and validates a config file. */
export function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  return loadConfigText(file, readConfigText(file), env);
}

/** Validates one target object on its own (the console's add/edit form uses this). */
export function validateTarget(raw: unknown, defaults: Defaults): { target?: Target; problems: Problem[] } {
  const parsed = targetSchema.safeParse(raw);
  if (!parsed.success) return { problems: zodProblems(parsed.error.issues, raw) };
  return { target: resolveTarget(parsed.data, defaults), problems: [] };
}

/**
 * A target added or edited at run time: valid on its own, and its name and id unique among the
 * targets running (`editingId`: the one it replaces).
 */
export function validateAddedTarget(raw: unknown, defaults: Defaults, running: readonly Target[], editingId?: string): { target?: Target; problems: Problem[] } {
  const editing = editingId === undefined ? undefined : running.find((t) => t.id === editingId);
  const foreign = foreignEnvReferences(raw, editing ? envReferences(targetToConfig(editing, defaults)) : undefined);
  if (foreign.length) return { problems: foreign };
  const checked = validateTarget(raw, defaults);
  const target = checked.target;
  if (!target) return checked;
  const clash = running.find((t) => t.id !== editingId && (t.name === target.name || t.id === target.id));
  if (clash) return { problems: [{ path: 'name', message: `a target named "${target.name}" already exists; names must be unique` }] };
  return checked;
}
