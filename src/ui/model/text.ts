import { sanitize } from '../../text/sanitize.js';

/** Sanitizes untrusted text and fits it into exactly `width` columns (truncating with …). */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  const chars = Array.from(text);
  if (chars.length > width) return width === 1 ? '…' : `${chars.slice(0, width - 1).join('')}…`;
  const pad = ' '.repeat(width - chars.length);
  return align === 'left' ? text + pad : pad + text;
}

/** The one way untrusted text enters a view model: sanitized, then fitted. */
export function safe(text: unknown, width: number, align: 'left' | 'right' = 'left'): string {
  return fit(sanitize(text, Math.max(width, 1) * 2), width, align);
}

/** Truncates a line to the width without padding. */
/** Words wrapped to `width` columns, every line after the first indented by `indent` spaces. */
export function wrap(text: string, width: number, indent = 0): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const room = width - (lines.length ? indent : 0);
    if (line && line.length + 1 + word.length > room) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
    while (line.length > width - indent) {
      lines.push(line.slice(0, width - indent));
      line = line.slice(width - indent);
    }
  }
  if (line) lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : `${' '.repeat(indent)}${l}`));
}

export function clip(text: string, width: number): string {
  const chars = Array.from(text);
  if (chars.length <= width) return text;
  return width <= 1 ? '…'.slice(0, width) : `${chars.slice(0, width - 1).join('')}…`;
}
