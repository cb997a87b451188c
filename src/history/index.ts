export { HistoryRecorder, type RecorderOptions, type RecorderStats } from './recorder.js';
export { HistoryQueries, WINDOWS, type WindowName, type StoredIncident, type StoredSample, type TargetFigures, type DailyLatency } from './queries.js';
export { prune, DEFAULT_RETENTION, type Retention, type PruneReport } from './retention.js';
export { rollup } from './rollup.js';
export { startHistory, historyOff, type HistoryService, type HistorySeed } from './service.js';
