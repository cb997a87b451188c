// Source transform for Ink 6.8.0's build files. WHY this exists: Ink 6.8.0 (a) keeps every text it
// ever measured or wrapped in module-level caches that never evict (measure-text.js, wrap-text.js) —
// a console that renders new row strings every second leaks ~1.25 MB per 1,000 frames — and (b)
// builds a fresh OutputCaches per frame (output.js) and calls widestLine() uncached on every text
// node (render-node-to-output.js), so each frame re-tokenises and re-measures every line. Ink 7 fixes
// neither for us yet and needs Node 22. Each patch is a set of exact string replacements whose
// anchors must each occur exactly once; if any is missing the file is left as it is (stock Ink).

export type InkFile = 'measure-text' | 'wrap-text' | 'output' | 'render-node-to-output';

/** Entries per cache before it is cleared: O(1), bounded, and far above one frame's working set. */
export const CACHE_MAX = 8192;

type Edit = readonly [anchor: string, replacement: string];

const bounded = (map: string): string => `if (${map}.size >= ${CACHE_MAX}) ${map}.clear();`;

const EDITS: Record<InkFile, readonly Edit[]> = {
  'measure-text': [['    cache.set(text, dimensions);', `    ${bounded('cache')}\n    cache.set(text, dimensions);`]],
  'wrap-text': [
    ['const cache = {};', 'let cache = {};\nlet cacheSize = 0;'],
    ['    cache[cacheKey] = wrappedText;', `    if (cacheSize >= ${CACHE_MAX}) {\n        cache = {};\n        cacheSize = 0;\n    }\n    cache[cacheKey] = wrappedText;\n    cacheSize++;`],
  ],
  output: [
    ['            this.styledChars.set(line, cached);', `            ${bounded('this.styledChars')}\n            this.styledChars.set(line, cached);`],
    ['            this.widths.set(text, cached);', `            ${bounded('this.widths')}\n            this.widths.set(text, cached);`],
    ['            this.blockWidths.set(text, cached);', `            ${bounded('this.blockWidths')}\n            this.blockWidths.set(text, cached);`],
    // One OutputCaches for every frame instead of one per Output (= per frame). Its entries are
    // immutable (strings, numbers, styled-char arrays Output only reads), so sharing is safe.
    ['export default class Output {', 'const sharedOutputCaches = new OutputCaches();\nexport default class Output {'],
    ['    caches = new OutputCaches();', '    caches = sharedOutputCaches;'],
  ],
  'render-node-to-output': [
    [
      'const applyPaddingToText = (node, text) => {',
      'const widestLineCache = new Map();\n' +
        `const cachedWidestLine = (text) => {\n    let width = widestLineCache.get(text);\n    if (width === undefined) {\n        width = widestLine(text);\n        ${bounded('widestLineCache')}\n        widestLineCache.set(text, width);\n    }\n    return width;\n};\n` +
        'const applyPaddingToText = (node, text) => {',
    ],
    ['                const currentWidth = widestLine(text);', '                const currentWidth = cachedWidestLine(text);'],
  ],
};

export const MARKER = '/* porthole ink-patch */';

/** The patched source, or undefined when any anchor is missing or not unique (use the source as is). */
export function patchInkSource(file: InkFile, source: string): string | undefined {
  if (source.includes(MARKER)) return undefined;
  let out = source;
  for (const [anchor, replacement] of EDITS[file]) {
    const at = out.indexOf(anchor);
    if (at < 0 || out.indexOf(anchor, at + 1) >= 0) return undefined;
    out = out.slice(0, at) + replacement + out.slice(at + anchor.length);
  }
  return `${MARKER}\n${out}`;
}
