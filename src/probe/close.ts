import type { Socket } from 'node:net';

/** How long a politely closed socket may wait for the peer's FIN before it is destroyed. */
const CLOSE_GRACE_MS = 2_000;

let closing = 0;
/** Sockets still finishing their FIN exchange (or their goodbye conversation) after a check (for leak tests and metrics). */
export function socketsClosing(): number {
  return closing;
}

/** Counts a socket that starts saying goodbye by other means than closePolitely; closingEnded() once done. */
export function closingStarted(): void {
  closing++;
}

export function closingEnded(): void {
  closing--;
}

/** Counts a socket that is still saying goodbye before closePolitely gets it; call the result once done. */
export function holdClosing(): () => void {
  closing++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    closing--;
  };
}

/**
 * Closes an established socket the polite way: read and discard whatever the server sent (unread
 * data would turn close() into a RST), send FIN (after TLS close_notify on a TLS socket), and wait
 * for the peer's FIN; destroy after a grace period whatever happens.
 */
export function closePolitely(socket: Socket): void {
  closing++;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    closing--;
    clearTimeout(grace);
    socket.destroy();
  };
  const grace = setTimeout(finish, CLOSE_GRACE_MS);
  grace.unref();
  socket.on('close', finish);
  socket.on('error', finish);
  socket.resume();
  socket.end();
}
