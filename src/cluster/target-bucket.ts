import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { validateTarget } from '../config/load.js';
import { foreignEnvReferences } from '../config/env-refs.js';
import { targetToConfig } from '../config/display.js';
import { BUILTIN_DEFAULTS, type Target } from '../config/target.js';
import type { Problem } from '../config/problems.js';
import { sanitize } from '../text/sanitize.js';
import { decodeToken, encodeToken, TARGETS_BUCKET } from './names.js';

/** The shared target list: one key per target id, the value the target as written in a config. */
export async function openTargetBucket(nc: NatsConnection): Promise<KV> {
  return new Kvm(nc).create(TARGETS_BUCKET, { history: 5 });
}

/**
 * A bucket value as a target. Values are resolved against the built-in defaults (push writes every
 * setting that differs from them), so every agent reads the same target.
 */
export function targetFromBucket(key: string, value: unknown): { target?: Target; problem?: string } {
  // Whoever can write the bucket must not get an agent to send its environment's secrets anywhere.
  const foreign = foreignEnvReferences(value);
  const r = foreign.length ? { problems: foreign } : validateTarget(value, BUILTIN_DEFAULTS);
  if (!r.target) return { problem: `${TARGETS_BUCKET}/${decodeToken(key)}: ${formatProblems(r.problems)}` };
  return { target: r.target };
}

export function targetToBucket(t: Target): Record<string, unknown> {
  const out = targetToConfig(t, BUILTIN_DEFAULTS);
  out.id = t.id;
  return out;
}

export function bucketKey(id: string): string {
  return encodeToken(id);
}

/** Every target in the bucket now (an unreadable value is reported, not fatal). */
export async function readBucketTargets(kv: KV): Promise<{ targets: Target[]; problems: string[] }> {
  const targets: Target[] = [];
  const problems: string[] = [];
  const keys: string[] = [];
  for await (const k of await kv.keys()) keys.push(k);
  for (const k of keys.sort()) {
    const e = await kv.get(k);
    if (!e || e.operation !== 'PUT') continue;
    const r = targetFromBucket(k, parseJson(e.value));
    if (r.target) targets.push(r.target);
    else if (r.problem) problems.push(r.problem);
  }
  return { targets, problems };
}

/** Makes the bucket hold exactly these targets: puts what is new or changed, deletes the rest. */
export async function pushTargets(kv: KV, targets: readonly Target[]): Promise<{ added: string[]; changed: string[]; removed: string[]; unchanged: number }> {
  const withRefs = targets.flatMap((t) => foreignEnvReferences(targetToBucket(t)).map((p) => `${t.name}: ${p.path}`));
  if (withRefs.length) {
    throw new Error(`\${env:} references cannot go into the shared list (agents refuse them: whoever can write the list could have an agent send its environment anywhere); keep these targets in each agent's own config file: ${withRefs.join(', ')}`);
  }
  const now = await readBucketTargets(kv);
  const before = new Map(now.targets.map((t) => [t.id, JSON.stringify(targetToBucket(t))]));
  const out = { added: [] as string[], changed: [] as string[], removed: [] as string[], unchanged: 0 };
  for (const t of targets) {
    const value = JSON.stringify(targetToBucket(t));
    const old = before.get(t.id);
    before.delete(t.id);
    if (old === value) {
      out.unchanged++;
      continue;
    }
    await kv.put(bucketKey(t.id), value);
    (old === undefined ? out.added : out.changed).push(t.name);
  }
  for (const id of before.keys()) {
    await kv.delete(bucketKey(id));
    out.removed.push(id);
  }
  return out;
}

/**
 * Follows the bucket: calls `onChange` with the whole list (debounced a little, so a push of many
 * targets applies at once) on the first read and after every change. Returns a stop function.
 */
export async function watchTargets(kv: KV, onChange: (targets: Target[]) => void, onProblem: (p: string) => void, debounceMs = 50): Promise<() => void> {
  const current = new Map<string, Target>();
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    onChange([...current.values()]);
  };
  const iter = await kv.watch();
  void (async () => {
    for await (const e of iter) {
      if (e.operation === 'PUT') {
        const r = targetFromBucket(e.key, parseJson(e.value));
        if (r.target) current.set(e.key, r.target);
        else {
          current.delete(e.key);
          if (r.problem) onProblem(r.problem);
        }
      } else current.delete(e.key);
      timer ??= setTimeout(flush, debounceMs);
    }
  })().catch((err: unknown) => onProblem(`${TARGETS_BUCKET}: watch ended: ${err instanceof Error ? err.message : String(err)}`));
  // An empty bucket sends nothing: the first (empty) list is applied too.
  timer ??= setTimeout(flush, debounceMs);
  return () => {
    iter.stop();
    if (timer) clearTimeout(timer);
  };
}

function parseJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(data).toString('utf8'));
  } catch {
    return undefined;
  }
}

function formatProblems(problems: readonly Problem[]): string {
  return sanitize(problems.map((p) => `${p.path}: ${p.message}`).join('; '), 500);
}
