// Source transforms for Ink 6.8.0 and two of its helpers, applied by hook.ts as the files load.
// WHY: Ink 6.8.0 (a) keeps every text it ever measured or wrapped in module-level caches that never
// evict (measure-text.js, wrap-text.js) — a console that renders new row strings every second all
// night grows without bound; (b) builds fresh output caches per frame, calls widestLine() uncached on
// every text node and rebuilds every row of the screen cell by cell each frame (output.js,
// render-node-to-output.js; see output-rows.ts); (c) sends any line with a non-ASCII symbol through
// Intl.Segmenter twice (string-width, ansi-tokenize) and diffs styles per character; (d) draws
// incremental frames one line low (log-update.js). Ink 7 changes this area but needs Node 22. Each
// patch is a set of exact string replacements whose anchors must each occur exactly once (a replaced
// method is also checked by its SHA-256); if any is missing the file is left as it is.

import { createHash } from 'node:crypto';
import { BLANK_CELL, ROW_CACHE_METHOD, ROW_CACHED_GET, STOCK_GET_END, STOCK_GET_SHA256, STOCK_GET_START } from './output-rows.js';

export type InkFile = 'ink' | 'measure-text' | 'wrap-text' | 'output' | 'render-node-to-output' | 'log-update';
/**
 * Every file the hook may patch: Ink's own, string-width (Ink measures every text node with it) and
 * @alcalzone/ansi-tokenize (Ink turns every written line into styled characters and back with it).
 */
export type PatchedFile = InkFile | 'string-width' | 'tokenize' | 'styledChars';

/**
 * Code points string-width 8.3.0 counts as exactly one column each (with its default
 * ambiguousIsNarrow), none of which joins a neighbour into one grapheme: Latin, punctuation, arrows,
 * maths, box drawing, blocks, geometric shapes and the two dingbats the console draws. string-width's
 * own fast path covers printable ASCII only, so a row with one "●" or sparkline bar went through
 * Intl.Segmenter and several Unicode-property regexes per character. test/ui/ink-patch.test.ts checks
 * every code point of this class against stock string-width.
 */
export const NARROW_CLASS = String.raw`\u0020-\u007E\u00A0-\u00AC\u00AE-\u02FF\u2010-\u2027\u2030-\u205E\u2190-\u21FF\u2200-\u22FF\u2500-\u25FC\u26A0\u2717`;

/**
 * Entries per generation. The injected cache keeps two generations: when the young one is full it
 * becomes the old one and the previous old one is dropped (O(1), at most 2 × limit entries); a hit
 * in the old generation is copied to the young one, so what every frame uses survives a rotation.
 * styledChars holds an object per character, hence its smaller limit.
 */
export const LIMITS = { text: 2048, styledChars: 256 } as const;

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

// tokenize() walks every line with Intl.Segmenter. A line made only of one-column code points that
// never join a neighbour (NARROW_CLASS) and ESC has one grapheme per UTF-16 unit, so the same loop over
// code units gives the same tokens; anything else takes the stock path.
const NARROW_TOKENIZE = `/* porthole ink-patch */
const portholeNarrowOrEsc = /^[\\u001B${NARROW_CLASS}]*$/;
function portholeTokenizeNarrow(str, endChar) {
    const ret = [];
    let visible = 0;
    let codeEndIndex = 0;
    for (let index = 0; index < str.length; index++) {
        if (index < codeEndIndex)
            continue;
        if (str.charCodeAt(index) === 27) {
            let code;
            const nextCodePoint = str.codePointAt(index + 1);
            if (nextCodePoint === OSC) {
                code = parseLinkCode(str, index);
                if (code) {
                    ret.push({ type: "ansi", code: code, endCode: getEndCode(code) });
                }
            }
            else if (nextCodePoint === CSI) {
                code = parseSGRSequence(str, index);
                if (code) {
                    for (const individualCode of splitCompoundSGRSequences(code)) {
                        ret.push({ type: "ansi", code: individualCode, endCode: getEndCode(individualCode) });
                    }
                }
            }
            if (code) {
                codeEndIndex = index + code.length;
                continue;
            }
        }
        ret.push({ type: "char", value: str[index], fullWidth: false });
        visible += 1;
        if (visible >= endChar) {
            break;
        }
    }
    return ret;
}
`;

// styledCharsToString() diffs the styles of every character against the previous one (three Sets and
// several arrays each). Two style lists with the same codes in the same order diff to nothing, so
// that case is skipped; and characters between two escape codes share one styles array (nothing
// mutates it) instead of a copy each.
const SAME_CODES = `/* porthole ink-patch */
function portholeSameCodes(a, b) {
    if (a === b)
        return true;
    if (a.length !== b.length)
        return false;
    for (let i = 0; i < a.length; i++) {
        if (a[i].code !== b[i].code || a[i].endCode !== b[i].endCode)
            return false;
    }
    return true;
}
`;

/** The one es-toolkit function Ink uses, from its own entry point (targets.ts checks it is installed). */
export const THROTTLE_ENTRY = 'es-toolkit/compat/throttle';

const EDITS: Record<PatchedFile, readonly Edit[]> = {
  // ink.js takes throttle() from the es-toolkit/compat index, which loads all ~300 lodash-compatible
  // functions (≈400 files: ≈17 MB of heap and code, 0.1–0.4 s of start-up here); the function's own
  // entry point is the same module the index re-exports.
  ink: [["import { throttle } from 'es-toolkit/compat';", `/* porthole ink-patch */\nimport throttle from '${THROTTLE_ENTRY}';`]],
  // incrementalRendering rewrites only the lines that changed, after moving the cursor back to the
  // top of the previous frame. Ink writes every non-fullscreen frame with a trailing newline, so the
  // cursor sits one line below the frame, but 6.8.0 moves up as if it were on the last line: every
  // frame lands one line low and lines repeat down the screen. The move must count that extra line.
  'log-update': [
    ['const createStandard = (stream,', '/* porthole ink-patch */\nexport const portholeIncrementalFix = true;\nconst createStandard = (stream,'],
    [
      '            buffer.push(ansiEscapes.cursorUp(previousVisible - 1));',
      // (And never CUU 0: terminals read a count of 0 as 1.)
      "            const portholeUp = previousVisible - (previousOutput.endsWith('\\n') ? 0 : 1);\n            if (portholeUp > 0)\n                buffer.push(ansiEscapes.cursorUp(portholeUp));",
    ],
  ],
  tokenize: [
    ['export function tokenize(str, endChar = Number.POSITIVE_INFINITY) {\n', `${NARROW_TOKENIZE}export function tokenize(str, endChar = Number.POSITIVE_INFINITY) {\n    if (portholeNarrowOrEsc.test(str))\n        return portholeTokenizeNarrow(str, endChar);\n`],
  ],
  styledChars: [
    ['export function styledCharsFromTokens(tokens) {', `${SAME_CODES}export function styledCharsFromTokens(tokens) {`],
    // An object literal of the token's own fields (type, value, fullWidth) instead of a spread: same
    // object, several times faster on a cold frame.
    ['                ...token,\n                styles: [...codes],', '                type: token.type,\n                value: token.value,\n                fullWidth: token.fullWidth,\n                styles: codes,'],
    [
      '            ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));',
      '            if (!portholeSameCodes(chars[i - 1].styles, char.styles))\n                ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));',
    ],
  ],
  'string-width': [
    ['const segmenter = new Intl.Segmenter();', `/* porthole ink-patch */\nconst portholeNarrow = /^[${NARROW_CLASS}]*$/;\nconst segmenter = new Intl.Segmenter();`],
    ['\tif (/^[\\u0020-\\u007E]*$/.test(string)) {', '\tif ((ambiguousIsNarrow ? portholeNarrow : /^[\\u0020-\\u007E]*$/).test(string)) {'],
  ],
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
    ['export default class Output {', `const sharedOutputCaches = new OutputCaches();\n${BLANK_CELL}export default class Output {`],
    ['    caches = new OutputCaches();', '    caches = sharedOutputCaches;'],
    ['    getStringWidth(text) {', `${ROW_CACHE_METHOD}    getStringWidth(text) {`],
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

/** A whole method replaced: recognised by its first and last lines and the SHA-256 of all of it. */
interface RangeEdit {
  start: string;
  end: string;
  sha256: string;
  replacement: string;
}

const RANGES: Partial<Record<PatchedFile, RangeEdit>> = {
  output: { start: STOCK_GET_START, end: STOCK_GET_END, sha256: STOCK_GET_SHA256, replacement: ROW_CACHED_GET },
};

function replaceRange(source: string, edit: RangeEdit): string | undefined {
  const at = source.indexOf(edit.start);
  if (at < 0 || source.indexOf(edit.start, at + 1) >= 0) return undefined;
  const endAt = source.indexOf(edit.end, at);
  if (endAt < 0) return undefined;
  const stop = endAt + edit.end.length;
  if (createHash('sha256').update(source.slice(at, stop)).digest('hex') !== edit.sha256) return undefined;
  return source.slice(0, at) + edit.replacement + source.slice(stop);
}

/** The patched source, or undefined when any anchor is missing or not unique (use the source as is). */
export function patchInkSource(file: PatchedFile, source: string): string | undefined {
  if (source.includes('/* porthole ink-patch */')) return undefined;
  const range = RANGES[file];
  let out = range ? replaceRange(source, range) : source;
  if (out === undefined) return undefined;
  for (const [anchor, replacement] of EDITS[file]) {
    const at = out.indexOf(anchor);
    if (at < 0 || out.indexOf(anchor, at + 1) >= 0) return undefined;
    out = out.slice(0, at) + replacement + out.slice(at + anchor.length);
  }
  return out;
}
