/**
 * How deep the brackets of a JSON text go, found by one pass that skips strings, without parsing:
 * the parsers recurse once per level, so this runs first and a file nested too deep never reaches them.
 * Returns the offset of the first bracket past `max`, or undefined when the text stays within it.
 */
export function firstTooDeep(text: string, max: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > max) return i;
    } else if (c === 0x7d || c === 0x5d) depth = Math.max(0, depth - 1);
  }
  return undefined;
}
