import type { Runtime } from '../runtime/runtime.js';
import type { ConsoleBackend } from './backend.js';
import { consoleCommands } from './local-commands.js';

/** The console's own monitor, in this process: quitting the console stops it. */
export function localBackend(runtime: Runtime): ConsoleBackend {
  return {
    mode: 'local',
    feed: runtime.feed,
    incidents: runtime.incidents,
    configFile: runtime.configFile,
    stateFile: runtime.stateFile,
    defaults: () => runtime.defaults(),
    commands: (quit) => consoleCommands(runtime.actions, runtime.feed, () => runtime.defaults(), quit),
    uptime: (id) => runtime.uptime.get(id),
    notice: () => runtime.notice(),
    channels: () => runtime.notify.health(),
    history: () => ({ file: runtime.history.file, problem: runtime.history.warning() }),
    maintenance: (t) => runtime.notify.maintenanceName(t),
    start: () => runtime.start(),
    close: () => runtime.close(),
  };
}
