import type { Defaults } from '../config/target.js';
import { BUILTIN_DEFAULTS } from '../config/target.js';
import { sanitize } from '../text/sanitize.js';
import type { ConsoleBackend } from '../console/backend.js';
import type { ConsoleCommands } from '../ui/commands.js';
import { checkForm } from '../ui/model/form.js';
import { API, type ActionResponse } from '../agent/api/wire.js';
import { agentJson, type AgentEndpoint } from './http.js';
import { RemoteFeed } from './remote-feed.js';

/** An action's failure stays in the header this long. */
const ERROR_SHOWN_MS = 8000;

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function clock(t: number): string {
  return new Date(t).toTimeString().slice(0, 8);
}

/**
 * The console attached to an agent: the agent checks, records and alerts; the console shows its feed
 * and sends the keys' actions as requests. Quitting the console stops nothing.
 */
export async function remoteBackend(endpoint: () => AgentEndpoint | undefined, label: string): Promise<ConsoleBackend> {
  const feed = new RemoteFeed(endpoint);
  await feed.start();
  let lastError: { text: string; at: number } | undefined;
  const incidents = {
    get version() {
      return feed.incidentsVersion;
    },
    list: () => feed.incidentList(),
  };
  const defaults = (): Defaults => feed.snapshotBody?.defaults ?? BUILTIN_DEFAULTS;
  const send = (method: string, path: string, body?: unknown): void => {
    const ep = endpoint();
    if (!ep) {
      lastError = { text: 'the agent is not running: nothing was changed', at: Date.now() };
      return;
    }
    agentJson<ActionResponse>(ep, method, path, body).catch((err: unknown) => {
      lastError = { text: `the agent refused: ${err instanceof Error ? err.message : String(err)}`, at: Date.now() };
    });
  };
  const target = (id: string, verb?: string) => `${API.targets}/${encodeURIComponent(id)}${verb ? `/${verb}` : ''}`;

  const commands = (quit: () => void): ConsoleCommands => ({
    submit(values, editingId) {
      if (!feed.connection.connected) return { ok: false, problems: [{ path: '(agent)', message: 'the agent cannot be reached: nothing was changed' }] };
      const editing = editingId ? feed.get(editingId)?.target : undefined;
      if (editingId && !editing) return { ok: false, problems: [{ path: '(target)', message: 'that target was deleted meanwhile' }] };
      // Checked here with the same schema as the agent, so problems show under the field at once.
      const check = checkForm(values, defaults(), feed.snapshot().map((v) => v.target), editing);
      if (!check.target) return { ok: false, problems: check.problems };
      if (editing) send('PUT', target(editing.id), { target: check.raw });
      else send('POST', API.targets, { target: check.raw });
      return { ok: true, id: check.target.id };
    },
    remove: (id) => send('DELETE', target(id)),
    togglePause(id) {
      const v = feed.get(id);
      if (v) send('POST', target(id, v.target.paused ? 'resume' : 'pause'));
    },
    toggleAll() {
      const pause = feed.snapshot().some((v) => !v.target.paused);
      send('POST', API.toggleAll);
      return pause ? 'paused' : 'resumed';
    },
    recheck: (id) => send('POST', target(id, 'recheck')),
    quit,
  });

  return {
    get mode() {
      return feed.connectedUrl ? `agent ${hostOf(feed.connectedUrl)}` : label;
    },
    feed,
    incidents,
    get configFile() {
      return feed.snapshotBody?.agent.configFile ?? '(agent)';
    },
    get stateFile() {
      return feed.snapshotBody?.agent.stateFile ?? '(agent)';
    },
    defaults,
    commands,
    uptime: (id) => feed.snapshotBody?.uptime[id],
    notice() {
      const parts: string[] = [];
      if (!feed.connection.connected) {
        const why = feed.connection.error ? ` (${sanitize(feed.connection.error, 120)})` : '';
        parts.push(`agent unreachable since ${clock(feed.connection.since)} — states unknown, reconnecting${why}`);
      } else if (feed.status?.notice) parts.push(feed.status.notice);
      if (lastError && Date.now() - lastError.at < ERROR_SHOWN_MS) parts.push(lastError.text);
      return parts.length ? parts.join(' · ') : undefined;
    },
    channels: () => feed.status?.channels ?? [],
    history: () => (feed.status ? { file: `${feed.status.history.file} (on the agent)`, problem: feed.status.history.problem ?? undefined } : undefined),
    maintenance: (t) => feed.status?.maintenance[t.id],
    start: () => {},
    close: async () => feed.close(),
  };
}
