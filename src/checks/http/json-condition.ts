/**
 * The JSON condition language of API checks: `PATH OPERATOR VALUE`, e.g. `$.status == "ok"`,
 * `$.queue.depth < 1000`, `$.items.length > 0`, `$.version matches "^2\."`, `$.tags contains "eu"`,
 * or `PATH exists`.
 *
 * PATH: `$`, then `.name`, `["any name"]` or `[index]` (negative counts from the end). `.length` of an
 * array or a string is its length (an object's own "length" key wins). VALUE: a JSON literal (string,
 * number, true, false, null). Operators: == != (JSON equality), < <= > >= (numbers only), contains
 * (substring of a string, element of an array), matches (a string matched by a regex given as a
 * string), exists (the path leads somewhere, null included).
 *
 * Parsed once, when the config is loaded (parseJsonCondition throws a ConditionSyntaxError saying
 * where); evaluated per answer (evaluateJsonCondition, pure).
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type PathStep = { key: string } | { index: number };

export type Operator = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'contains' | 'matches' | 'exists';

export interface JsonCondition {
  /** The condition as written (shown in evidence). */
  text: string;
  path: PathStep[];
  op: Operator;
  /** Absent for `exists`. */
  value?: JsonValue;
  /** For `matches`: the compiled regex. */
  regex?: RegExp;
}

export class ConditionSyntaxError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
    this.name = 'ConditionSyntaxError';
  }
}

const MAX_TEXT = 1000;
const MAX_STEPS = 64;
const IDENT = /[A-Za-z_$][A-Za-z0-9_$-]*/y;
const OPERATORS = ['==', '!=', '<=', '>=', '<', '>'] as const;
const WORD_OPERATORS = ['contains', 'matches', 'exists'] as const;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class Reader {
  pos = 0;
  constructor(readonly text: string) {}

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  fail(what: string): never {
    const near = this.pos >= this.text.length ? 'the end' : JSON.stringify(this.text.slice(this.pos, this.pos + 12));
    throw new ConditionSyntaxError(`${what} at column ${this.pos + 1} (near ${near})`, this.pos + 1);
  }

  sticky(re: RegExp): string | undefined {
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (!m) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  /** A JSON string literal starting at pos (JSON.parse does the escapes). */
  string(): string {
    const start = this.pos;
    if (this.text[start] !== '"') this.fail('expected a string in double quotes');
    let i = start + 1;
    while (i < this.text.length && this.text[i] !== '"') i += this.text[i] === '\\' ? 2 : 1;
    if (i >= this.text.length) this.fail('unterminated string');
    this.pos = i + 1;
    try {
      return JSON.parse(this.text.slice(start, i + 1)) as string;
    } catch {
      this.pos = start;
      return this.fail('bad escape in string');
    }
  }
}

function parsePath(r: Reader): PathStep[] {
  if (r.text[r.pos] !== '$') r.fail('expected a path starting with "$"');
  r.pos++;
  const steps: PathStep[] = [];
  for (;;) {
    const c = r.text[r.pos];
    if (c === '.') {
      r.pos++;
      const name = r.sticky(IDENT);
      if (name === undefined) r.fail('expected a key name after "."');
      steps.push({ key: name });
    } else if (c === '[') {
      r.pos++;
      r.skipSpace();
      if (r.text[r.pos] === '"') steps.push({ key: r.string() });
      else {
        const n = r.sticky(/-?\d+/y);
        if (n === undefined) r.fail('expected an index or a "quoted key" inside [ ]');
        steps.push({ index: Number(n) });
      }
      r.skipSpace();
      if (r.text[r.pos] !== ']') r.fail('expected "]"');
      r.pos++;
    } else break;
    if (steps.length > MAX_STEPS) r.fail(`path longer than ${MAX_STEPS} steps`);
  }
  return steps;
}

function parseOperator(r: Reader): Operator {
  for (const op of OPERATORS) {
    if (r.text.startsWith(op, r.pos)) {
      r.pos += op.length;
      return op;
    }
  }
  for (const op of WORD_OPERATORS) {
    if (r.text.startsWith(op, r.pos) && !/[A-Za-z0-9_]/.test(r.text[r.pos + op.length] ?? '')) {
      r.pos += op.length;
      return op;
    }
  }
  return r.fail('expected an operator (== != < <= > >= contains matches exists)');
}

function parseValue(r: Reader): JsonValue {
  const c = r.text[r.pos];
  if (c === '"') return r.string();
  for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
    if (r.text.startsWith(word, r.pos)) {
      r.pos += word.length;
      return v;
    }
  }
  const n = r.sticky(NUMBER);
  if (n !== undefined) return Number(n);
  return r.fail('expected a value: a "string", a number, true, false or null');
}

/** Parses one condition; throws ConditionSyntaxError with the column of the problem. */
export function parseJsonCondition(text: string): JsonCondition {
  if (text.length > MAX_TEXT) throw new ConditionSyntaxError(`condition longer than ${MAX_TEXT} characters`, MAX_TEXT);
  const r: Reader = new Reader(text);
  r.skipSpace();
  const path = parsePath(r);
  r.skipSpace();
  const op = parseOperator(r);
  let value: JsonValue | undefined;
  let regex: RegExp | undefined;
  if (op !== 'exists') {
    r.skipSpace();
    const at = r.pos;
    value = parseValue(r);
    if ((op === '<' || op === '<=' || op === '>' || op === '>=') && typeof value !== 'number') {
      r.pos = at;
      r.fail(`expected a number after ${op}`);
    }
    if (op === 'matches') {
      if (typeof value !== 'string') {
        r.pos = at;
        r.fail('expected a regular expression as a "string" after matches');
      }
      try {
        regex = new RegExp(value);
      } catch (err) {
        r.pos = at;
        r.fail(`not a valid regular expression (${(err as Error).message})`);
      }
    }
  }
  r.skipSpace();
  if (r.pos < text.length) r.fail('unexpected text after the condition');
  return { text: text.trim(), path, op, ...(value !== undefined ? { value } : {}), ...(regex ? { regex } : {}) };
}

export function formatPathSteps(steps: readonly PathStep[]): string {
  let out = '$';
  for (const s of steps) {
    if ('index' in s) out += `[${s.index}]`;
    else out += /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(s.key) ? `.${s.key}` : `[${JSON.stringify(s.key)}]`;
  }
  return out;
}

const MISSING = Symbol('missing');
type Found = JsonValue | typeof MISSING;

function isObject(v: JsonValue): v is { [key: string]: JsonValue } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function walk(doc: JsonValue, steps: readonly PathStep[]): Found {
  let cur: JsonValue = doc;
  for (const s of steps) {
    if ('index' in s) {
      if (!Array.isArray(cur)) return MISSING;
      const i = s.index < 0 ? cur.length + s.index : s.index;
      if (i < 0 || i >= cur.length) return MISSING;
      cur = cur[i]!;
    } else if (isObject(cur) && Object.hasOwn(cur, s.key)) cur = cur[s.key]!;
    else if (s.key === 'length' && (Array.isArray(cur) || typeof cur === 'string')) cur = cur.length;
    else return MISSING;
  }
  return cur;
}

function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]!));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k]!, b[k]!));
  }
  return false;
}

/**
 * A value as evidence: JSON, cut short (the caller sanitizes it for the terminal). Written piece by
 * piece and stopped at `max`, so a huge or deeply nested answer costs no more than a short one
 * (JSON.stringify would walk it all, and overflow the stack on deep nesting).
 */
export function describeJson(v: JsonValue, max = 80): string {
  let out = '';
  const put = (piece: string): boolean => {
    out += piece;
    return out.length <= max;
  };
  const write = (x: JsonValue): boolean => {
    if (x === null || typeof x !== 'object') return put(JSON.stringify(x));
    if (Array.isArray(x)) {
      if (!put('[')) return false;
      for (let i = 0; i < x.length; i++) if ((i > 0 && !put(',')) || !write(x[i]!)) return false;
      return put(']');
    }
    if (!put('{')) return false;
    let first = true;
    for (const k of Object.keys(x)) {
      if ((!first && !put(',')) || !put(`${JSON.stringify(k)}:`) || !write(x[k]!)) return false;
      first = false;
    }
    return put('}');
  };
  return write(v) ? out : `${out.slice(0, max - 1)}…`;
}

export interface ConditionVerdict {
  ok: boolean;
  /** What was found, in words: `$.status is "degraded"`, `$.queue is missing`. */
  found: string;
}

/** Evaluates a parsed condition against a parsed JSON document. */
export function evaluateJsonCondition(c: JsonCondition, doc: JsonValue): ConditionVerdict {
  const at = formatPathSteps(c.path);
  const v = walk(doc, c.path);
  if (v === MISSING) return { ok: false, found: `${at} is missing` };
  const found = `${at} is ${describeJson(v)}`;
  const want = c.value ?? null;
  switch (c.op) {
    case 'exists':
      return { ok: true, found };
    case '==':
      return { ok: jsonEqual(v, want), found };
    case '!=':
      return { ok: !jsonEqual(v, want), found };
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (typeof v !== 'number') return { ok: false, found: `${found}, not a number` };
      const w = want as number;
      const ok = c.op === '<' ? v < w : c.op === '<=' ? v <= w : c.op === '>' ? v > w : v >= w;
      return { ok, found };
    }
    case 'contains':
      if (typeof v === 'string') return { ok: typeof want === 'string' && v.includes(want), found };
      if (Array.isArray(v)) return { ok: v.some((x) => jsonEqual(x, want)), found };
      return { ok: false, found: `${found}, neither a string nor a list` };
    case 'matches':
      if (typeof v !== 'string') return { ok: false, found: `${found}, not a string` };
      return { ok: c.regex!.test(v), found };
  }
}
