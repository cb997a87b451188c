import type { Defaults, Target } from '../config/target.js';
import type { Feed } from '../feed/feed.js';
import type { ChannelHealth } from '../notify/index.js';
import type { UptimeWindows } from '../runtime/uptime-cache.js';
import type { ConsoleCommands } from '../ui/commands.js';
import type { IncidentFeed } from '../ui/hooks/useEngineSnapshot.js';
import type { HistoryStatus } from '../ui/components/HelpOverlay.js';

/**
 * What the console shows and acts on, wherever the monitor runs: in this process (a runtime) or in
 * an agent the console is attached to.
 */
export interface ConsoleBackend {
  /** "local", or "agent HOST:PORT". */
  readonly mode: string;
  readonly feed: Feed;
  readonly incidents: IncidentFeed;
  readonly configFile: string;
  readonly stateFile: string;
  defaults(): Defaults;
  commands(quit: () => void): ConsoleCommands;
  uptime(targetId: string): UptimeWindows | undefined;
  notice(): string | undefined;
  channels(): readonly ChannelHealth[];
  /** Where the history is kept, and why it is off or losing writes. */
  history(): HistoryStatus | undefined;
  maintenance(target: Target): string | undefined;
  start(): void;
  /** Quitting the console: a local monitor stops; an agent goes on. */
  close(): Promise<void>;
}
