/** Defaults of an API check, shared by the schema (limits) and the client. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
export const MAX_BODY_BYTES_LIMIT = 16 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;
