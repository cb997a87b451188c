/**
 * The few rules of Prometheus' text format (0.0.4) that porthole's own per-target writer needs:
 * label values escape backslash, double quote and newline; HELP text escapes backslash and newline;
 * values are Go-style floats (NaN, +Inf, -Inf).
 */

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export function escapeHelp(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** `a="x",b="y"`, in the order given. */
export function labelText(labels: Readonly<Record<string, string>>): string {
  let out = '';
  for (const [k, v] of Object.entries(labels)) out += `${out ? ',' : ''}${k}="${escapeLabelValue(v)}"`;
  return out;
}
