import { Socket } from 'node:net';
import { closingEnded, closingStarted } from './close.js';
import { CoarseDeadlines } from './deadlines.js';
import { listenThenClose } from './mysql-farewell.js';

/** How long a politely closed socket may wait for the peer's FIN before it is destroyed (as closePolitely). */
const CLOSE_GRACE_MS = 2_000;

const enum Phase {
  /** Established, listening for a server that speaks first. */
  Listening,
  /** FIN sent, waiting for the peer's. */
  Closing,
  /** Closed, or handed over to a conversation. */
  Done,
}

/**
 * A socket that ends the plain TCP check: its goodbye state lives on the socket itself, so the
 * listeners below are shared functions and the deadlines are buckets of one shared timer each. At
 * thousands of checks a second this replaces, per socket, four closures, a state object, a timer
 * and ten listener changes (bench/engine).
 */
export class LingeringSocket extends Socket {
  lingerPhase = Phase.Listening;
  lingerUntil = 0;
  /** The bucket of the deadline waited for (window or grace), to cancel it. */
  lingerTick = 0;
}

/** Silence for the whole window: the polite FIN. */
const windows = new CoarseDeadlines<LingeringSocket>(25, (s) => {
  if (s.lingerPhase === Phase.Listening) sayGoodbye(s);
});

/** No FIN from the peer within the grace: destroy (the 'close' that follows ends the count). */
const graces = new CoarseDeadlines<LingeringSocket>(
  250,
  (s) => {
    if (s.lingerPhase === Phase.Closing) s.destroy();
  },
  false,
);

function sayGoodbye(s: LingeringSocket): void {
  s.lingerPhase = Phase.Closing;
  s.lingerTick = graces.add(s, CLOSE_GRACE_MS);
  // Flowing already (the data listener): whatever the server sends now is read and dropped, so the
  // close stays a FIN, never a RST.
  s.end();
}

function onData(this: LingeringSocket, chunk: Buffer): void {
  if (this.lingerPhase !== Phase.Listening) return;
  // The server speaks first: the full conversation takes over, with its first bytes handed back unread.
  this.lingerPhase = Phase.Done;
  windows.cancel(this, this.lingerTick);
  this.removeListener('data', onData);
  this.removeListener('end', onEnd);
  this.removeListener('close', onClose);
  closingEnded();
  this.pause();
  this.unshift(chunk);
  listenThenClose(this, Math.max(1, this.lingerUntil - performance.now()));
  this.resume();
}

/** The server hung up first: answer with our FIN at once. */
function onEnd(this: LingeringSocket): void {
  if (this.lingerPhase !== Phase.Listening) return;
  windows.cancel(this, this.lingerTick);
  sayGoodbye(this);
}

/** Closed: both FINs exchanged, reset, failed or destroyed after the grace. */
function onClose(this: LingeringSocket): void {
  if (this.lingerPhase === Phase.Listening) windows.cancel(this, this.lingerTick);
  else if (this.lingerPhase === Phase.Closing) graces.cancel(this, this.lingerTick);
  else return;
  this.lingerPhase = Phase.Done;
  this.destroy();
  closingEnded();
}

/**
 * Ends a plain TCP check the way listenThenClose does (listen a moment for a server that speaks
 * first; a MySQL/MariaDB greeting is answered with a login; silence gets the polite FIN), cheaply for
 * the usual silent server. Only a server that speaks gets the full conversation. The socket must
 * already ignore its errors (a reset is followed by 'close', which ends the wait).
 */
export function lingerThenClose(socket: LingeringSocket, listenMs: number): void {
  closingStarted();
  socket.lingerPhase = Phase.Listening;
  socket.lingerUntil = performance.now() + listenMs;
  socket.on('data', onData);
  socket.on('end', onEnd);
  socket.on('close', onClose);
  socket.lingerTick = windows.add(socket, listenMs);
}
