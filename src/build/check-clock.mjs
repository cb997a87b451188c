// Injected by src/build/bundle.mjs in place of the global `performance` in the one-shot check's
// bundles. The first use of Node's `performance` loads perf_hooks (eight modules, ≈ 1 ms of a 55 ms
// start) for a clock the process already has: process.uptime() reads the same monotonic clock
// (uv_hrtime, nanoseconds) from nearly the same origin, the process's start.
export const performance = { now: () => process.uptime() * 1000 };
