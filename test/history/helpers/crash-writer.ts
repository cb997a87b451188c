/**
 * Writes history as fast as it can until killed: results for 50 targets and a stream of incidents.
 * After every commit it prints the ids of the incidents that commit made durable ("committed ID"),
 * synchronously, so the parent knows exactly what must survive a SIGKILL.
 */
import { writeSync } from 'node:fs';
import type { EngineEvent, Incident } from '../../../src/engine/types.js';
import { HistoryRecorder } from '../../../src/history/index.js';
import { openStore } from '../../../src/store/index.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: crash-writer DATA_DIR');
const opened = openStore({ dataDir });
if (!opened.ok) {
  writeSync(2, `${opened.problem.message}\n`);
  process.exit(3);
}
let emit: (e: EngineEvent) => void = () => {};
const recorder = new HistoryRecorder(opened.history, {
  flushIntervalMs: 5,
  rollupIntervalMs: 100,
  pruneIntervalMs: 700,
  onCommit: (c) => {
    if (c.incidents.length > 0) writeSync(1, c.incidents.map((id) => `committed ${id}\n`).join(''));
  },
});
recorder.attach({
  subscribe: (l) => {
    emit = l;
    return () => {};
  },
  snapshot: () => [],
  get: () => undefined,
});
writeSync(1, 'ready\n');

let seq = 0;
const open = new Map<string, Incident>();
function burst(): void {
  const now = Date.now();
  for (let i = 0; i < 400; i++) {
    const targetId = `t${i % 50}`;
    const ok = Math.random() > 0.1;
    emit({
      type: 'result',
      targetId,
      at: now,
      state: ok ? 'UP' : 'DOWN',
      result: ok
        ? { outcome: 'open', startedAt: now, dnsMs: null, connectMs: Math.random() * 5, totalMs: 5 }
        : { outcome: 'refused', startedAt: now, dnsMs: null, connectMs: null, totalMs: 1, errno: 'ECONNREFUSED' },
    });
  }
  const targetId = `t${seq % 50}`;
  const existing = open.get(targetId);
  if (existing) {
    open.delete(targetId);
    emit({ type: 'incident', phase: 'closed', incident: { ...existing, ended: now, durationMs: now - existing.started, endedBy: 'recovered' } });
  } else {
    const incident: Incident = { id: `${targetId}#${process.pid}-${seq}`, targetId, from: 'UP', to: 'DOWN', cause: 'refused', evidence: 'connect ECONNREFUSED', started: now, ended: null, durationMs: null };
    open.set(targetId, incident);
    emit({ type: 'incident', phase: 'opened', incident });
  }
  seq++;
  setImmediate(burst);
}
burst();
