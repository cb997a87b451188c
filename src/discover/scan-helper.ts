import { parentPort, workerData } from 'node:worker_threads';
import { pickDialer, type Dialer } from './dialers.js';
import { HELPER_GATE, type HelperJob, type HelperReply } from './js-scan.js';
import { claimer, scanShare } from './scan-share.js';

// The second thread of a long --no-banners scan (see jsScan in js-scan.ts): it takes ports from the shared
// counter until none is left, writes their states into the shared board, and sends back the errnos.
const job = workerData as HelperJob;
const reply = (m: HelperReply) => parentPort!.postMessage(m);

// The main thread may already have finished and stopped waiting: then there is nothing to do.
if (Atomics.compareExchange(job.counter, HELPER_GATE, 0, 1) === 0) {
  const board = { state: job.state, connectMs: job.connectMs, claim: claimer(job.counter, job.share.ports.length) };
  scanShare(pickDialer(job.share.address, job.family) as Dialer<unknown>, job.share, board, { open: 'at-once' }).then(
    (errnos) => reply({ errnos: [...errnos] }),
    (err: unknown) => reply({ error: err instanceof Error ? err.message : String(err) }),
  );
}
