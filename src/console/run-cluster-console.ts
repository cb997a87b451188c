import type { NatsConnection } from '@nats-io/transport-node';
import type { ClusterConfig } from '../config/cluster-schema.js';
import { connectCluster, linkErrorText, redactCluster } from '../cluster/connect.js';
import { ClusterView } from '../cluster/cluster-view.js';
import { followResults } from '../cluster/read-results.js';
import { recheckEverywhere } from '../cluster/recheck.js';
import { addSharedTarget, removeSharedTarget } from '../cluster/shared-edit.js';
import { openTargetBucket } from '../cluster/target-bucket.js';

/** How long a recheck waits for the locations' answers (the longest check timeout, 5 s by default, and a margin). */
const RECHECK_DEADLINE_MS = 6000;
import { registerInkPatch } from '../ui/ink-patch/register.js';
import type { ClusterSource } from '../ui/ClusterConsole.js';
import { terminalGuard } from './terminal.js';

/**
 * `porthole ui --cluster URL`: the cluster's targets by quorum with each location's state, live from
 * the results stream (the newest result of each location × target, then every new one). Owns the
 * terminal like the console; reconnects on its own. Resolves with the exit code.
 */
export async function runClusterConsole(c: ClusterConfig, options: { color: boolean }): Promise<number> {
  const guard = terminalGuard(process.stdout, process.stdin);
  const view = new ClusterView();
  const where = c.servers.map((s) => redactCluster(c, s.replace(/\/\/[^@/]*@/, '//'))).join(', ');
  let linkProblem: string | undefined = 'connecting…';
  let nc: NatsConnection | undefined;
  let stopFollow: (() => void) | undefined;
  let closed = false;
  let note: string | undefined;
  let refused = 0;
  // The console sleeps until told: every change to what it shows bumps `changes` and wakes it.
  let changes = 0;
  const listeners = new Set<() => void>();
  const changed = () => {
    changes++;
    for (const l of listeners) l();
  };
  const setNote = (text: string) => {
    note = text;
    changed();
  };
  const setLink = (text: string | undefined) => {
    linkProblem = text;
    changed();
  };
  const source: ClusterSource = {
    views: (now) => view.views(now),
    locations: () => view.locations(),
    get version() {
      return view.version + changes;
    },
    subscribe: (onChange) => {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
    header: () => `porthole cluster ${where}${linkProblem ? `  ${linkProblem}` : ''}${refused ? `  ${refused} result${refused === 1 ? '' : 's'} refused (forged or malformed)` : ''}`,
    recheck: (id, name) => {
      const conn = nc;
      if (!conn) return;
      const parts: string[] = [];
      setNote(`recheck ${name}: asking every location…`);
      const show = (done: boolean) => setNote(`recheck ${name}: ${parts.join(' · ') || 'no answer yet'}${done ? ` (${parts.length} answer${parts.length === 1 ? '' : 's'}, done)` : ' …'}`);
      void recheckEverywhere(conn, id, RECHECK_DEADLINE_MS, (a) => {
        parts.push(`${a.location} ${a.state}${a.connectMs !== null && a.state !== 'DOWN' ? ` ${a.connectMs.toFixed(1)}ms` : a.cause ? ` ${a.cause}` : ''} (${a.ms ?? 0} ms)`);
        show(false);
      }).then(() => show(true));
    },
    note: () => note,
    add: (text) => {
      const conn = nc;
      if (!conn) return;
      setNote('adding…');
      void openTargetBucket(conn)
        .then((kv) => addSharedTarget(kv, text))
        .then((r) => setNote(r.message), (err: unknown) => setNote(`not added: ${linkErrorText(c, err)}`));
    },
    remove: (id, name) => {
      const conn = nc;
      if (!conn) return;
      void openTargetBucket(conn)
        .then((kv) => removeSharedTarget(kv, id, name))
        .then((r) => setNote(r.message), (err: unknown) => setNote(`not removed: ${linkErrorText(c, err)}`));
    },
  };
  const follow = async (conn: NatsConnection) => {
    stopFollow?.();
    stopFollow = await followResults(conn, { from: 'latest', onResult: (r) => {
        const before = view.version;
        view.add(r.message);
        if (view.version !== before) changed();
      },
      onDropped: () => {
        refused++;
        changed();
      },
    });
  };
  void (async () => {
    const conn = await connectCluster(c, 'porthole console', {}, () => closed, (err) => {
      setLink(`NATS unreachable (${linkErrorText(c, err)}), retrying`);
    });
    if (!conn) return;
    nc = conn;
    setLink(undefined);
    await follow(conn).catch((err: unknown) => setLink(`no results stream yet: ${linkErrorText(c, err)}`));
    for await (const s of conn.status()) {
      if (s.type === 'disconnect') setLink(`NATS unreachable since ${new Date().toISOString().slice(11, 19)} — states go STALE, reconnecting`);
      else if (s.type === 'reconnect') {
        setLink(undefined);
        // An ordered consumer resumes by itself; a fresh one after a server restart costs nothing more.
        await follow(conn).catch(() => undefined);
      }
    }
  })();

  let finish: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => (finish = resolve));
  const onSignal = (sig: NodeJS.Signals): void => finish(sig === 'SIGINT' ? 130 : sig === 'SIGTERM' ? 143 : 129);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  process.env.NODE_ENV ??= 'production';
  registerInkPatch();
  const [{ render }, { createElement }, { ClusterConsole }] = await Promise.all([import('ink'), import('react'), import('../ui/ClusterConsole.js')]);
  guard.enter();
  const app = render(createElement(ClusterConsole, { source, color: options.color, onQuit: () => finish(0) }), { exitOnCtrlC: false, patchConsole: true, maxFps: 10 });
  app.waitUntilExit().then(
    () => finish(0),
    () => finish(70),
  );
  const code = await done;
  closed = true;
  app.unmount();
  guard.restore();
  stopFollow?.();
  await nc?.close().catch(() => undefined);
  return code;
}
