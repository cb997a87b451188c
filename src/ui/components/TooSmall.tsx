import { clip } from '../model/text.js';
import { Txt } from '../style.js';

/** One line, never wrapped: the full message, or its short form when even that does not fit. */
export function TooSmall({ message, width }: { message: string; width: number }) {
  const w = Math.max(1, width);
  const text = Array.from(message).length <= w ? message : message.replace(/^terminal /, '');
  return <Txt>{clip(text, w)}</Txt>;
}
