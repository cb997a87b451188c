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
export function clip(text: string, width: number): string {
  const chars = Array.from(text);
  if (chars.length <= width) return text;
  return width <= 1 ? '…'.slice(0, width) : `${chars.slice(0, width - 1).join('')}…`;
}
