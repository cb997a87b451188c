export { openHistory, historyFile, HISTORY_FILE_NAME, type HistoryDb, type OpenHistoryOptions, type OpenHistoryResult } from './open.js';
export { HistoryRecorder, type RecorderOptions, type RecorderStats, type EventSource } from './recorder.js';
export { HistoryQueries, WINDOWS, type WindowName, type StoredIncident, type StoredSample, type TargetFigures, type DailyLatency } from './queries.js';
export { prune, DEFAULT_RETENTION, type Retention, type PruneReport } from './retention.js';
export { rollup } from './rollup.js';
export type { HistoryProblem, HistoryProblemKind } from './problems.js';
export { SCHEMA_VERSION } from './migrations.js';
export { startHistory, type HistorySession, type HistorySeed } from './session.js';
