import jsonc from 'jsonc-parser';
import type { Problem } from './problems.js';
import { formatPath } from './problems.js';

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
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

/**
 * Parses strict JSON. Syntax errors come back as problems with line and column; keys that appear
 * twice in one object are problems too (JSON.parse would silently keep the last one).
 */
export function parseJsonText(text: string): { value?: unknown; problems: Problem[] } {
  const problems: Problem[] = [];
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
          const where = lineColumn(text, offset);
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
        if (problems.some((p) => p.path === '(syntax)')) return;
        const name = jsonc.printParseErrorCode(code);
        problems.push({ path: '(syntax)', message: ERROR_TEXT[name] ?? name, ...lineColumn(text, offset) });
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
