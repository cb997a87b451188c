import type { Defaults } from '../config/target.js';
import type { Feed } from '../feed/feed.js';
import type { TargetActions } from '../runtime/target-actions.js';
import type { ConsoleCommands } from '../ui/commands.js';
import { formToRaw } from '../ui/model/form.js';

/** The console's keys as actions on a monitor (the form's values in config form). */
export function consoleCommands(actions: TargetActions, feed: Feed, defaults: () => Defaults, quit: () => void): ConsoleCommands {
  return {
    submit(values, editingId) {
      const editing = editingId ? feed.get(editingId)?.target : undefined;
      if (editingId && !editing) return { ok: false, problems: [{ path: '(target)', message: 'that target was deleted meanwhile' }] };
      // The action checks it (schema and unique name), once.
      const raw = formToRaw(values, editing ? { target: editing, defaults: defaults() } : undefined);
      return editing ? actions.edit(editing.id, raw) : actions.add(raw);
    },
    remove: (id) => void actions.remove(id),
    togglePause(id) {
      const v = feed.get(id);
      if (!v) return;
      if (v.target.paused) actions.resume(id);
      else actions.pause(id);
    },
    toggleAll: () => actions.toggleAll(),
    recheck: (id) => void actions.recheck(id),
    quit,
  };
}
