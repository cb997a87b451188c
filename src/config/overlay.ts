import { join } from 'node:path';
import { readJsonState, writeJsonState } from './json-state-file.js';
import { validateTarget } from './load.js';
import type { Problem } from './problems.js';
import type { Defaults, Target } from './target.js';

/**
 * What the console changed, keyed by target id, laid over the hand-written config file (which is
 * never rewritten). An entry either replaces/adds a target (`target`, in config form), deletes one
 * from the file (`deleted`), or only flips its pause (`paused`).
 */
export interface OverlayEntry {
  target?: Record<string, unknown>;
  deleted?: true;
  paused?: boolean;
}

export interface OverlayState {
  targets: Record<string, OverlayEntry>;
}

export const EMPTY_OVERLAY: OverlayState = Object.freeze({ targets: Object.freeze({}) }) as OverlayState;

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Reads whatever was stored, keeping only well-formed entries (a hand-edited store must not crash the console). */
export function normalizeOverlay(raw: unknown): OverlayState {
  const out: OverlayState = { targets: {} };
  if (!isRecord(raw) || !isRecord(raw.targets)) return out;
  for (const [id, e] of Object.entries(raw.targets)) {
    if (!isRecord(e)) continue;
    const entry: OverlayEntry = {};
    if (isRecord(e.target)) entry.target = e.target;
    if (e.deleted === true) entry.deleted = true;
    if (typeof e.paused === 'boolean') entry.paused = e.paused;
    out.targets[id] = entry;
  }
  return out;
}

export interface MergeResult {
  targets: Target[];
  /** Overlay entries that no longer validate; they are skipped, not fatal. */
  problems: Problem[];
}

/**
 * Pure: the config file's targets with the console's changes applied. Order: the file's targets in
 * file order (replaced in place when edited), then targets added in the console in the order stored.
 */
export function mergeOverlay(base: readonly Target[], defaults: Defaults, overlay: OverlayState): MergeResult {
  const problems: Problem[] = [];
  const resolved = new Map<string, Target>();
  for (const [id, entry] of Object.entries(overlay.targets)) {
    if (!entry.target || entry.deleted) continue;
    const { target, problems: p } = validateTarget({ ...entry.target, id }, defaults);
    if (target) resolved.set(id, target);
    else problems.push(...p.map((x) => ({ path: `console-state.targets[${JSON.stringify(id)}].${x.path}`, message: x.message })));
  }
  const out: Target[] = [];
  const seen = new Set<string>();
  const finish = (t: Target): Target => {
    const paused = overlay.targets[t.id]?.paused;
    return paused === undefined || paused === t.paused ? t : { ...t, paused };
  };
  for (const t of base) {
    seen.add(t.id);
    const entry = overlay.targets[t.id];
    if (entry?.deleted) continue;
    out.push(finish(resolved.get(t.id) ?? t));
  }
  for (const [id, t] of resolved) if (!seen.has(id)) out.push(finish(t));
  return { targets: out, problems };
}

/** Where the changes made from front ends are kept. */
export interface Overlay {
  /** Where it lives, for the help overlay. */
  readonly path: string;
  read(): OverlayState;
  /** Records an added or edited target (config form). */
  upsert(id: string, target: Record<string, unknown>): void;
  setPaused(id: string, paused: boolean): void;
  /** Deletes a target: one added in the console is simply forgotten; one from the file is masked. */
  remove(id: string, inFile: boolean): void;
}

function upserted(target: Record<string, unknown>): OverlayEntry {
  const { id: _drop, paused, ...rest } = target;
  return { target: rest, ...(typeof paused === 'boolean' ? { paused } : {}) };
}

/** Changes kept only while the process runs (`porthole watch`: nothing is written). */
export class MemoryOverlay implements Overlay {
  readonly path = '(not kept: targets from the command line)';
  private state: OverlayState = { targets: {} };

  read(): OverlayState {
    return { targets: { ...this.state.targets } };
  }

  upsert(id: string, target: Record<string, unknown>): void {
    this.state.targets[id] = upserted(target);
  }

  setPaused(id: string, paused: boolean): void {
    this.state.targets[id] = { ...(this.state.targets[id] ?? {}), paused };
  }

  remove(id: string, inFile: boolean): void {
    if (inFile) this.state.targets[id] = { deleted: true };
    else delete this.state.targets[id];
  }
}

/** Where the overlay is kept: `console-state.json` (atomic writes) in the user's porthole config dir. */
export class OverlayStore implements Overlay {
  readonly path: string;

  constructor(dir: string, configName = 'console-state') {
    this.path = join(dir, `${configName}.json`);
    // As conf did: the file exists from the start, with an empty overlay when there was none.
    const stored = readJsonState(this.path);
    if (!('targets' in stored)) writeJsonState(this.path, { targets: {}, ...stored });
  }

  read(): OverlayState {
    return normalizeOverlay(readJsonState(this.path));
  }

  private write(id: string, change: (old: OverlayEntry | undefined) => OverlayEntry | undefined): void {
    // One read: the overlay and whatever else the file holds are written back together.
    const stored = readJsonState(this.path);
    const state = normalizeOverlay(stored);
    const next = change(state.targets[id]);
    if (next === undefined) delete state.targets[id];
    else state.targets[id] = next;
    writeJsonState(this.path, { ...stored, targets: state.targets });
  }

  upsert(id: string, target: Record<string, unknown>): void {
    this.write(id, () => upserted(target));
  }

  setPaused(id: string, paused: boolean): void {
    this.write(id, (old) => ({ ...(old ?? {}), paused }));
  }

  remove(id: string, inFile: boolean): void {
    this.write(id, () => (inFile ? { deleted: true } : undefined));
  }
}
