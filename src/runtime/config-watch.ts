import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

/**
 * Calls `changed` once a burst of changes to `file` has settled. The directory is watched, not the
 * file: editors save by writing a new file and renaming it over the old one, which a watch on the
 * file itself would not survive.
 */
export function watchConfigFile(file: string, changed: () => void, settleMs = 300): () => void {
  const name = basename(file);
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(file), { persistent: false }, (_event, changedName) => {
      if (changedName !== null && changedName !== name) return;
      clearTimeout(timer);
      timer = setTimeout(changed, settleMs);
      timer.unref();
    });
    watcher.on('error', () => watcher?.close());
  } catch {
    // A directory that cannot be watched (gone, no permission): SIGHUP and `porthole reload` still work.
  }
  return () => {
    clearTimeout(timer);
    watcher?.close();
  };
}
