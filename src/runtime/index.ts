export { startRuntime, type Runtime, type RuntimeOptions, type RuntimeEvent, type RuntimeHealth, type ReloadReport, type ReloadTrigger } from './runtime.js';
export type { TargetActions, ActionResult } from './target-actions.js';
export type { UptimeWindows } from './uptime-cache.js';
export { checkOnce } from './one-shot.js';
