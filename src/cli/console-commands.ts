import { targetToConfig } from '../config/display.js';
import type { OverlayStore } from '../config/overlay.js';
import type { Defaults } from '../config/target.js';
import type { Engine } from '../engine/engine.js';
import type { ConsoleCommands } from '../ui/commands.js';
import { checkForm } from '../ui/model/form.js';

export interface CommandDeps {
  engine: Engine;
  store: OverlayStore;
  defaults: Defaults;
  /** Ids of the targets written in the config file (deleting those is recorded, not just forgotten). */
  fileIds: ReadonlySet<string>;
  quit: () => void;
}

/** The console's actions: each changes the running engine and records the change in the overlay. */
export function createConsoleCommands(d: CommandDeps): ConsoleCommands {
  const { engine, store, defaults } = d;
  const targets = () => engine.snapshot().map((v) => v.target);
  return {
    submit(values, editingId) {
      const editing = editingId ? engine.get(editingId)?.target : undefined;
      if (editingId && !editing) return { ok: false, problems: [{ path: '(target)', message: 'that target was deleted meanwhile' }] };
      const check = checkForm(values, defaults, targets(), editing);
      if (!check.target) return { ok: false, problems: check.problems };
      const target = editing ? { ...check.target, paused: editing.paused } : check.target;
      if (editing) engine.update(target);
      else engine.add(target);
      store.upsert(target.id, targetToConfig(target, defaults));
      return { ok: true, id: target.id };
    },
    remove(id) {
      if (!engine.remove(id)) return;
      store.remove(id, d.fileIds.has(id));
    },
    togglePause(id) {
      const v = engine.get(id);
      if (!v) return;
      if (v.target.paused) engine.resume(id);
      else engine.pause(id);
      store.setPaused(id, !v.target.paused);
    },
    toggleAll() {
      const all = engine.snapshot();
      const pause = all.some((v) => !v.target.paused);
      for (const v of all) {
        if (v.target.paused === pause) continue;
        if (pause) engine.pause(v.target.id);
        else engine.resume(v.target.id);
        store.setPaused(v.target.id, pause);
      }
      return pause ? 'paused' : 'resumed';
    },
    recheck(id) {
      engine.recheck(id);
    },
    quit: d.quit,
  };
}
