import { targetToConfig } from '../config/display.js';
import { validateAddedTarget } from '../config/load.js';
import { blockFromDisplay } from '../checks/schemas.js';
import type { Overlay } from '../config/overlay.js';
import type { Problem } from '../config/problems.js';
import type { Defaults, Target } from '../config/target.js';
import type { Engine } from '../engine/engine.js';

export type ActionResult = { ok: true; id: string } | { ok: false; problems: Problem[] };

/**
 * What a front end may change on a running monitor (the console in-process, or the agent's API on
 * behalf of an attached console): each action changes the engine and records the change in the
 * overlay, so it survives a restart without the config file being rewritten.
 */
export interface TargetActions {
  /** Adds a target given in config form (as in the config file's "targets"). */
  add(raw: unknown): ActionResult;
  /** Replaces a target's settings (config form); its id stays. */
  edit(id: string, raw: unknown): ActionResult;
  remove(id: string): boolean;
  pause(id: string): boolean;
  resume(id: string): boolean;
  recheck(id: string): boolean;
  /** Pauses every running target, or, when none runs, resumes all but those the config file itself pauses. */
  toggleAll(): 'paused' | 'resumed';
}

export interface ActionDeps {
  engine: Engine;
  store: Overlay;
  defaults: () => Defaults;
  /** Ids of the targets written in the config file (deleting those is recorded, not just forgotten). */
  fileIds: () => ReadonlySet<string>;
  /** Ids the config file itself marks "paused": true (resume-all leaves them paused). */
  filePaused: () => ReadonlySet<string>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function createTargetActions(d: ActionDeps): TargetActions {
  const { engine, store } = d;

  const validate = (raw: unknown, editing?: Target): { target?: Target; problems: Problem[] } => {
    if (!isRecord(raw)) return { problems: [{ path: '(target)', message: 'expected a target object as in the config file' }] };
    const withId = editing ? { ...raw, id: editing.id } : raw;
    // A front end saw the kind's block as shown (secrets hidden): what it sends back unchanged is the target's own.
    if (editing && isRecord(raw[editing.kind])) withId[editing.kind] = blockFromDisplay(editing.kind, raw[editing.kind], (editing as unknown as Record<string, unknown>)[editing.kind]);
    return validateAddedTarget(withId, d.defaults(), engine.snapshot().map((v) => v.target), editing?.id);
  };

  const setPaused = (id: string, paused: boolean): boolean => {
    const v = engine.get(id);
    if (!v) return false;
    if (v.target.paused === paused) return true;
    if (paused) engine.pause(id);
    else engine.resume(id);
    store.setPaused(id, paused);
    return true;
  };

  return {
    add(raw) {
      const check = validate(raw);
      if (!check.target) return { ok: false, problems: check.problems };
      engine.add(check.target);
      store.upsert(check.target.id, targetToConfig(check.target, d.defaults()));
      return { ok: true, id: check.target.id };
    },
    edit(id, raw) {
      const editing = engine.get(id)?.target;
      if (!editing) return { ok: false, problems: [{ path: '(target)', message: `no target with id "${id}" (deleted meanwhile?)` }] };
      const check = validate(raw, editing);
      if (!check.target) return { ok: false, problems: check.problems };
      const target = { ...check.target, paused: editing.paused };
      engine.update(target);
      store.upsert(target.id, targetToConfig(target, d.defaults()));
      return { ok: true, id: target.id };
    },
    remove(id) {
      if (!engine.remove(id)) return false;
      store.remove(id, d.fileIds().has(id));
      return true;
    },
    pause: (id) => setPaused(id, true),
    resume: (id) => setPaused(id, false),
    recheck(id) {
      if (!engine.has(id)) return false;
      engine.recheck(id);
      return true;
    },
    toggleAll() {
      const all = engine.snapshot();
      const pause = all.some((v) => !v.target.paused);
      const keepPaused = d.filePaused();
      for (const v of all) {
        if (!pause && keepPaused.has(v.target.id)) continue;
        setPaused(v.target.id, pause);
      }
      return pause ? 'paused' : 'resumed';
    },
  };
}
