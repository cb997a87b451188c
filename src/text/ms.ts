/** Milliseconds for a narrow column: µs digits below 1 ms, one decimal below 10, whole above. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  // The kernel clock times a loopback or LAN handshake in µs: 0.012 must not read as 0.0.
  if (ms < 1) return ms.toFixed(ms < 0.1 ? 3 : 2);
  return ms < 10 ? ms.toFixed(1) : String(Math.round(ms));
}
