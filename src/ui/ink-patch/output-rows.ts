// Replacement for Output#get() in Ink 6.8.0 (build/output.js). WHY: stock get() builds a grid of
// one object per terminal cell every frame and turns every row back into a string with
// styledCharsToString, which re-diffs the styles of each character: the frame's biggest cost, paid
// again for rows that did not change. This version first collects, per row, the writes that land on
// it (x and the line after clipping and transformers, in order), and builds a row only when that list
// is new; the row string is a pure function of the output width and that list, so a cached one is
// byte-identical. Everything else (clip arithmetic, wide characters, lines that fall outside) is the
// stock code, moved. The stock method is recognised by its first and last lines and a SHA-256 of
// the whole; anything else is left as it is.

export const STOCK_GET_START =
  '    get() {\n        // Initialize output array with a specific set of rows, so that margin/padding at the bottom is preserved\n';
export const STOCK_GET_END = '        return {\n            output: generatedOutput,\n            height: output.length,\n        };\n    }\n';
export const STOCK_GET_SHA256 = '7da0e35e96e14b583b4eb4fd93a6152563dbddcf5b65bddca8a0022044149542';

/** Rows kept per cache generation (see PortholeBoundedCache): a few screens of a big terminal. */
export const ROW_CACHE_LIMIT = 1024;

export const ROW_CACHED_GET = String.raw`    get() {
        // porthole: rows are built from the writes that land on them, and reused when those repeat.
        const rowWrites = [];
        for (let y = 0; y < this.height; y++) {
            rowWrites.push([]);
        }
        const clips = [];
        for (const operation of this.operations) {
            if (operation.type === 'clip') {
                clips.push(operation.clip);
            }
            if (operation.type === 'unclip') {
                clips.pop();
            }
            if (operation.type === 'write') {
                const { text, transformers } = operation;
                let { x, y } = operation;
                let lines = text.split('\n');
                const clip = clips.at(-1);
                if (clip) {
                    const clipHorizontally = typeof clip?.x1 === 'number' && typeof clip?.x2 === 'number';
                    const clipVertically = typeof clip?.y1 === 'number' && typeof clip?.y2 === 'number';
                    if (clipHorizontally) {
                        const width = this.caches.getWidestLine(text);
                        if (x + width < clip.x1 || x > clip.x2) {
                            continue;
                        }
                    }
                    if (clipVertically) {
                        const height = lines.length;
                        if (y + height < clip.y1 || y > clip.y2) {
                            continue;
                        }
                    }
                    if (clipHorizontally) {
                        lines = lines.map(line => {
                            const from = x < clip.x1 ? clip.x1 - x : 0;
                            const width = this.caches.getStringWidth(line);
                            const to = x + width > clip.x2 ? clip.x2 - x : width;
                            return sliceAnsi(line, from, to);
                        });
                        if (x < clip.x1) {
                            x = clip.x1;
                        }
                    }
                    if (clipVertically) {
                        const from = y < clip.y1 ? clip.y1 - y : 0;
                        const height = lines.length;
                        const to = y + height > clip.y2 ? clip.y2 - y : height;
                        lines = lines.slice(from, to);
                        if (y < clip.y1) {
                            y = clip.y1;
                        }
                    }
                }
                let offsetY = 0;
                for (let [index, line] of lines.entries()) {
                    const writes = rowWrites[y + offsetY];
                    // As stock: a line outside the pre-sized rows is skipped without moving on.
                    if (!writes) {
                        continue;
                    }
                    for (const transformer of transformers) {
                        line = transformer(line, index);
                    }
                    writes.push(x, line);
                    offsetY++;
                }
            }
        }
        const generatedOutput = rowWrites.map(writes => this.caches.getRow(this.width, writes, this)).join('\n');
        return {
            output: generatedOutput,
            height: rowWrites.length,
        };
    }
    buildRow(width, writes) {
        // One blank cell object for every empty cell (nothing writes to a cell object; it is replaced).
        const currentLine = new Array(width).fill(PORTHOLE_BLANK_CELL);
        for (let w = 0; w < writes.length; w += 2) {
            const characters = this.caches.getStyledChars(writes[w + 1]);
            let offsetX = writes[w];
            for (const character of characters) {
                currentLine[offsetX] = character;
                const characterWidth = Math.max(1, this.caches.getStringWidth(character.value));
                if (characterWidth > 1) {
                    for (let index = 1; index < characterWidth; index++) {
                        currentLine[offsetX + index] = {
                            type: 'char',
                            value: '',
                            fullWidth: false,
                            styles: character.styles,
                        };
                    }
                }
                offsetX += characterWidth;
            }
        }
        const lineWithoutEmptyItems = currentLine.filter(item => item !== undefined);
        return styledCharsToString(lineWithoutEmptyItems).trimEnd();
    }
`;

/** The empty cell buildRow fills a row with (stock makes one object per cell, with the same fields). */
export const BLANK_CELL = "const PORTHOLE_BLANK_CELL = Object.freeze({ type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([]) });\n";

/** Added to OutputCaches: the row strings, keyed by width and the writes that made them. */
export const ROW_CACHE_METHOD = String.raw`    rows = new PortholeBoundedCache(${ROW_CACHE_LIMIT});
    getRow(width, writes, output) {
        let key = String(width);
        for (let w = 0; w < writes.length; w += 2) {
            key += ';' + writes[w] + ',' + writes[w + 1].length + ':' + writes[w + 1];
        }
        let row = this.rows.get(key);
        if (row === undefined) {
            row = output.buildRow(width, writes);
            this.rows.set(key, row);
        }
        return row;
    }
`;
