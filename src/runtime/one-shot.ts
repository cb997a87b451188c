import type { Target } from '../config/target.js';
import { Engine } from '../engine/engine.js';
import type { TargetView } from '../engine/types.js';

/** Runs the engine until every target has a confirmed answer (its retries spent), then stops it. */
export async function checkOnce(targets: readonly Target[]): Promise<TargetView[]> {
  const engine = new Engine({ targets, startSpreadMs: 0 });
  const settled = (v: TargetView) => v.monitor.confirmed !== 'UNKNOWN' && !v.monitor.pending;
  await new Promise<void>((resolve) => {
    const done = () => engine.snapshot().every((v) => v.target.paused || settled(v));
    const unsubscribe = engine.subscribe((e) => {
      if (e.type === 'result' && done()) {
        unsubscribe();
        resolve();
      }
    });
    engine.start();
    if (done()) resolve();
  });
  await engine.stop();
  return engine.snapshot().filter((v) => !v.target.paused);
}
