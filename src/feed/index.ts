export type { Feed, FeedListener } from './feed.js';
