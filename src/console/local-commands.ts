import type { Defaults } from '../config/target.js';
import type { Feed } from '../feed/feed.js';
import type { TargetActions } from '../runtime/target-actions.js';
import type { ConsoleCommands } from '../ui/commands.js';
import { checkForm } from '../ui/model/form.js';

/** The console's keys as actions on a monitor: the form is checked here, the action does the rest. */
export function consoleCommands(actions: TargetActions, feed: Feed, defaults: () => Defaults, quit: () => void): ConsoleCommands {
  return {
    submit(values, editingId) {
      const editing = editingId ? feed.get(editingId)?.target : undefined;
      if (editingId && !editing) return { ok: false, problems: [{ path: '(target)', message: 'that target was deleted meanwhile' }] };
      const check = checkForm(values, defaults(), feed.snapshot().map((v) => v.target), editing);
      if (!check.target) return { ok: false, problems: check.problems };
      return editing ? actions.edit(editing.id, check.raw) : actions.add(check.raw);
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
