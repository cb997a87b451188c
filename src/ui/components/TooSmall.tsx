import { clip } from '../model/text.js';
import { Txt } from '../style.js';

export function TooSmall({ message, width }: { message: string; width: number }) {
  return <Txt>{clip(message, Math.max(1, width))}</Txt>;
}
