import { formatDuration } from '../config/duration.js';
import { sanitize } from '../text/sanitize.js';

export function percent(ratio: number | null): string {
  if (ratio === null) return '—';
  const p = ratio * 100;
  // 99.95 must not print as 100.00: round down so a real outage is never hidden.
  return `${(Math.floor(p * 1000) / 1000).toFixed(3)}%`;
}

export function millis(v: number | null): string {
  return v === null ? '—' : v < 10 ? `${v.toFixed(2)}ms` : `${v.toFixed(1)}ms`;
}

export function duration(v: number | null): string {
  return v === null ? '—' : formatDuration(v);
}

/** A plain text table: left-aligned first column, the rest right-aligned. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

// JSON.stringify leaves C1 controls and bidi overrides as they are; a terminal would act on them.
// eslint-disable-next-line no-control-regex
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** JSON that is safe to print on a terminal and still parses to exactly the same data. */
export function safeJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * One CSV field (RFC 4180 quoting). Text is passed through sanitize() so control characters cannot
 * reach a terminal, and a leading = + - @ is defused so a spreadsheet does not run it as a formula.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  let text = sanitize(value, 100_000);
  if (/^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(fields: readonly (string | number | null | undefined)[]): string {
  return `${fields.map(csvField).join(',')}\n`;
}
