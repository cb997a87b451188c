import type { Socket } from 'node:net';
import { closePolitely, holdClosing } from './close.js';
import { CoarseDeadlines } from './deadlines.js';
import { listenThenClose } from './mysql-farewell.js';

interface Lingering {
  socket: Socket;
  until: number;
  tick: number;
  done: boolean;
  release: () => void;
  onData: (chunk: Buffer) => void;
  onEnd: () => void;
  onClose: () => void;
}

function stop(l: Lingering): void {
  l.done = true;
  windows.cancel(l, l.tick);
  l.socket.removeListener('data', l.onData);
  l.socket.removeListener('end', l.onEnd);
  l.socket.removeListener('close', l.onClose);
  l.release();
}

/** Silence for the whole window: the polite FIN. */
const windows = new CoarseDeadlines<Lingering>(25, (l) => {
  stop(l);
  closePolitely(l.socket);
});

function ignore(): void {}

/**
 * Ends a plain TCP check the way listenThenClose does (listen a moment for a server that speaks
 * first; a MySQL/MariaDB greeting is answered with a login; silence gets the polite FIN), cheaply for
 * the usual silent server: one shared timer instead of a conversation and a timer per socket. Only a
 * server that speaks gets the full conversation, with its first bytes handed over unread.
 */
export function lingerThenClose(socket: Socket, listenMs: number): void {
  const l: Lingering = {
    socket,
    until: performance.now() + listenMs,
    tick: 0,
    done: false,
    release: holdClosing(),
    onData: (chunk) => {
      if (l.done) return;
      stop(l);
      socket.pause();
      socket.unshift(chunk);
      listenThenClose(socket, Math.max(1, l.until - performance.now()));
      socket.resume();
    },
    onEnd: () => {
      if (l.done) return;
      stop(l);
      closePolitely(socket);
    },
    // Reset or failed: nothing left to close politely.
    onClose: () => {
      if (!l.done) stop(l);
    },
  };
  socket.on('error', ignore);
  socket.on('data', l.onData);
  socket.on('end', l.onEnd);
  socket.on('close', l.onClose);
  l.tick = windows.add(l, listenMs);
}
