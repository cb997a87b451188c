export { openStore, openMemoryStore, storeFile, STORE_FILE_NAME, type StoreDb, type OpenStoreOptions, type OpenStoreResult } from './open.js';
export { SCHEMA_VERSION } from './migrations.js';
export { describeFailure, type StoreProblem, type StoreProblemKind } from './store-problem.js';
