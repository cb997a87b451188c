import jsonc from 'jsonc-parser';
import type { Problem } from './problems.js';
import { formatPath } from './problems.js';
import { firstTooDeep } from './json-depth.js';
import { describeBytes, MAX_CONFIG_BYTES, MAX_CONFIG_DEPTH } from './limits.js';

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  return lineColumnFinder(text)(offset);
}

/**
 * Line and column of offsets in one text: the line starts are found once, each lookup is a binary
 * search (a file with a hundred thousand problems must not rescan the text for each).
 */
export function lineColumnFinder(text: string): (offset: number) => { line: number; column: number } {
  let starts: number[] | undefined;
  return (offset) => {
    if (!starts) {
      starts = [0];
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  };
}

const ERROR_TEXT: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'malformed number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":"',
  CommaExpected: 'expected "," between items (or a closing bracket)',
  CloseBraceExpected: 'expected "}" (the file may be truncated)',
  CloseBracketExpected: 'expected "]" (the file may be truncated)',
  EndOfFileExpected: 'unexpected text after the end of the JSON value',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string (the file may be truncated)',
  UnexpectedEndOfNumber: 'number cut short',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape in string',
  InvalidCharacter: 'control character inside a string',
};

/** A comma right before a closing bracket: the offset of that comma, else undefined. */
function trailingComma(text: string, closeAt: number): number | undefined {
  const close = text[closeAt];
  if (close !== '}' && close !== ']') return undefined;
  let i = closeAt - 1;
  while (i >= 0 && /\s/.test(text[i]!)) i--;
  return text[i] === ',' ? i : undefined;
}

/** Problems found before parsing: a file too large or nested too deep to parse safely. */
function limitProblems(text: string): Problem[] {
  if (Buffer.byteLength(text, 'utf8') > MAX_CONFIG_BYTES) {
    return [{ path: '(file)', message: `the file is larger than ${describeBytes(MAX_CONFIG_BYTES)}, the most a config may be (is this the right file?)` }];
  }
  const deep = firstTooDeep(text, MAX_CONFIG_DEPTH);
  if (deep !== undefined) {
    return [{ path: '(syntax)', message: `nested more than ${MAX_CONFIG_DEPTH} levels deep (a config needs about 6); the file is not read further`, ...lineColumn(text, deep) }];
  }
  return [];
}

/**
 * Parses strict JSON. Syntax errors come back as problems with line and column; keys that appear
 * twice in one object are problems too (JSON.parse would silently keep the last one).
 */
export function parseJsonText(text: string): { value?: unknown; problems: Problem[] } {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a UTF-8 byte-order mark, as some editors write
  const problems: Problem[] = limitProblems(text);
  if (problems.length > 0) return { problems };
  const at = lineColumnFinder(text);
  let syntaxReported = false;
  if (text.trim() === '') return { problems: [{ path: '(top level)', message: 'the file is empty (expected a JSON object)' }] };
  const seen: Set<string>[] = [];
  jsonc.visit(
    text,
    {
      onObjectBegin: () => {
        seen.push(new Set());
      },
      onObjectEnd: () => {
        seen.pop();
      },
      onObjectProperty: (property, offset, _length, _line, _col, pathSupplier) => {
        const keys = seen[seen.length - 1];
        if (!keys) return;
        if (keys.has(property)) {
          const where = at(offset);
          problems.push({
            path: formatPath([...pathSupplier(), property]),
            message: `key "${property}" appears twice in the same object (only one is allowed)`,
            ...where,
          });
        }
        keys.add(property);
      },
      onError: (code, offset) => {
        // Only the first syntax error: the ones after it are usually echoes of it.
        if (syntaxReported) return;
        syntaxReported = true;
        const name = jsonc.printParseErrorCode(code);
        const comma = name === 'PropertyNameExpected' || name === 'ValueExpected' ? trailingComma(text, offset) : undefined;
        if (comma !== undefined) {
          problems.push({ path: '(syntax)', message: `trailing comma: remove the "," before "${text[offset]}" (JSON allows none after the last item)`, ...at(comma) });
          return;
        }
        problems.push({ path: '(syntax)', message: ERROR_TEXT[name] ?? name, ...at(offset) });
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  if (problems.length > 0) return { problems };
  try {
    return { value: JSON.parse(text) as unknown, problems };
  } catch (err) {
    return { problems: [{ path: '(syntax)', message: (err as Error).message }] };
  }
}
