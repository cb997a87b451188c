// Source transform for Ink 6.8.0's build files. WHY this exists: Ink 6.8.0 (a) keeps every text it
// ever measured or wrapped in module-level caches that never evict (measure-text.js, wrap-text.js) —
// a console that renders new row strings every second all night grows without bound — and (b) builds
// a fresh OutputCaches per frame (output.js) and calls widestLine() uncached on every text node
// (render-node-to-output.js), so each frame re-tokenises and re-measures every line. Ink 7 changes
// this area but needs Node 22. Each patch is a set of exact string replacements whose anchors must
// each occur exactly once; if any is missing the file is left as it is (stock Ink).

export type InkFile = 'measure-text' | 'wrap-text' | 'output' | 'render-node-to-output';

/**
 * Entries per generation. The injected cache keeps two generations: when the young one is full it
 * becomes the old one and the previous old one is dropped (O(1), at most 2 × limit entries); a hit
 * in the old generation is copied to the young one, so what every frame uses survives a rotation.
 * styledChars holds an object per character, hence its smaller limit.
 */
export const LIMITS = { text: 2048, styledChars: 1024 } as const;

const CACHE_CLASS = `/* porthole ink-patch */
class PortholeBoundedCache {
    constructor(limit) {
        this.limit = limit;
        this.young = new Map();
        this.old = new Map();
    }
    get(key) {
        let value = this.young.get(key);
        if (value === undefined) {
            value = this.old.get(key);
            if (value !== undefined) {
                this.set(key, value);
            }
        }
        return value;
    }
    set(key, value) {
        if (this.young.size >= this.limit) {
            this.old = this.young;
            this.young = new Map();
        }
        this.young.set(key, value);
    }
}
`;

type Edit = readonly [anchor: string, replacement: string];
const cache = (limit: number): string => `new PortholeBoundedCache(${limit})`;

const EDITS: Record<InkFile, readonly Edit[]> = {
  'measure-text': [['const cache = new Map();', `${CACHE_CLASS}const cache = ${cache(LIMITS.text)};`]],
  'wrap-text': [
    ['const cache = {};', `${CACHE_CLASS}const cache = ${cache(LIMITS.text)};`],
    ['    const cachedText = cache[cacheKey];', '    const cachedText = cache.get(cacheKey);'],
    ['    cache[cacheKey] = wrappedText;', '    cache.set(cacheKey, wrappedText);'],
  ],
  output: [
    ['class OutputCaches {', `${CACHE_CLASS}class OutputCaches {`],
    ['    widths = new Map();', `    widths = ${cache(LIMITS.text)};`],
    ['    blockWidths = new Map();', `    blockWidths = ${cache(LIMITS.text)};`],
    ['    styledChars = new Map();', `    styledChars = ${cache(LIMITS.styledChars)};`],
    // One OutputCaches for every frame instead of one per Output (= per frame). Its values are
    // strings, numbers and styled-char arrays that Output only reads, so sharing them is safe.
    ['export default class Output {', 'const sharedOutputCaches = new OutputCaches();\nexport default class Output {'],
    ['    caches = new OutputCaches();', '    caches = sharedOutputCaches;'],
  ],
  'render-node-to-output': [
    [
      'const applyPaddingToText = (node, text) => {',
      `${CACHE_CLASS}const widestLineCache = ${cache(LIMITS.text)};\n` +
        'const cachedWidestLine = (text) => {\n    let width = widestLineCache.get(text);\n    if (width === undefined) {\n        width = widestLine(text);\n        widestLineCache.set(text, width);\n    }\n    return width;\n};\n' +
        'const applyPaddingToText = (node, text) => {',
    ],
    ['                const currentWidth = widestLine(text);', '                const currentWidth = cachedWidestLine(text);'],
  ],
};

/** The patched source, or undefined when any anchor is missing or not unique (use the source as is). */
export function patchInkSource(file: InkFile, source: string): string | undefined {
  if (source.includes('class PortholeBoundedCache')) return undefined;
  let out = source;
  for (const [anchor, replacement] of EDITS[file]) {
    const at = out.indexOf(anchor);
    if (at < 0 || out.indexOf(anchor, at + 1) >= 0) return undefined;
    out = out.slice(0, at) + replacement + out.slice(at + anchor.length);
  }
  return out;
}
