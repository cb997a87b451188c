import { parseJsonCondition, type JsonCondition } from './json-condition.js';

/** One accepted status range, inclusive: 200, "200-299" or "2xx" as written in the config. */
export interface StatusRange {
  from: number;
  to: number;
}

export type StatusSpec = number | string;

/** "2xx" → 200-299, "200-204" → 200-204, 204 → 204; undefined when it is none of these. */
export function parseStatusSpec(s: StatusSpec): StatusRange | undefined {
  if (typeof s === 'number') return Number.isInteger(s) && s >= 100 && s <= 599 ? { from: s, to: s } : undefined;
  const t = s.trim().toLowerCase();
  let m = /^([1-5])xx$/.exec(t);
  if (m) return { from: Number(m[1]) * 100, to: Number(m[1]) * 100 + 99 };
  m = /^(\d{3})\s*-\s*(\d{3})$/.exec(t);
  if (m) {
    const from = Number(m[1]);
    const to = Number(m[2]);
    return from >= 100 && to <= 599 && from <= to ? { from, to } : undefined;
  }
  m = /^(\d{3})$/.exec(t);
  if (m) return parseStatusSpec(Number(m[1]));
  return undefined;
}

export function describeStatusRanges(ranges: readonly StatusRange[]): string {
  return ranges.map((r) => (r.from === r.to ? String(r.from) : r.from % 100 === 0 && r.to === r.from + 99 ? `${r.from / 100}xx` : `${r.from}-${r.to}`)).join(', ');
}

export function statusAccepted(status: number, ranges: readonly StatusRange[]): boolean {
  return ranges.some((r) => status >= r.from && status <= r.to);
}

/** A header condition: the header is present and its value contains `contains` or matches `regex`. */
export interface HeaderCondition {
  /** Lower case. */
  name: string;
  contains?: string;
  regex?: RegExp;
}

export type HeaderSpec = string | { matches: string };

/** Everything the answer must satisfy, compiled once from the config. */
export interface ResponseConditions {
  status: StatusRange[];
  headers: HeaderCondition[];
  bodyContains?: string;
  bodyRegex?: RegExp;
  json: JsonCondition[];
}

export interface ConditionSource {
  expectStatus?: StatusSpec | StatusSpec[];
  expectHeaders?: Record<string, HeaderSpec>;
  expectBody?: string;
  expectBodyRegex?: string;
  expectJson?: string | string[];
  followRedirects?: boolean;
}

/**
 * Compiles the conditions of a validated config block (throws on what the schema would have caught).
 * Without expectStatus: any 2xx, or any 2xx and 3xx when redirects are not followed.
 */
export function compileConditions(src: ConditionSource): ResponseConditions {
  const specs = src.expectStatus === undefined ? undefined : Array.isArray(src.expectStatus) ? src.expectStatus : [src.expectStatus];
  const status = specs
    ? specs.map((s) => {
        const r = parseStatusSpec(s);
        if (!r) throw new Error(`not a status or status range: ${JSON.stringify(s)}`);
        return r;
      })
    : [{ from: 200, to: src.followRedirects === false ? 399 : 299 }];
  const headers = Object.entries(src.expectHeaders ?? {}).map(([name, spec]): HeaderCondition =>
    typeof spec === 'string' ? { name: name.toLowerCase(), contains: spec } : { name: name.toLowerCase(), regex: new RegExp(spec.matches, 'i') },
  );
  const json = src.expectJson === undefined ? [] : (Array.isArray(src.expectJson) ? src.expectJson : [src.expectJson]).map(parseJsonCondition);
  return {
    status,
    headers,
    ...(src.expectBody !== undefined ? { bodyContains: src.expectBody } : {}),
    ...(src.expectBodyRegex !== undefined ? { bodyRegex: new RegExp(src.expectBodyRegex) } : {}),
    json,
  };
}
