import { Text } from 'ink';
import { createContext, useContext, type ReactNode } from 'react';
import type { ColorName } from './model/state-style.js';

/** Whether colour (and every other SGR style: bold, inverse, dim) may be used at all. */
export const ColorContext = createContext<boolean>(true);

export interface TxtProps {
  color?: ColorName;
  bold?: boolean;
  inverse?: boolean;
  dim?: boolean;
  children?: ReactNode;
}

/**
 * The only way components style text. With colour off it emits plain text: no colour, no bold, no
 * inverse, so NO_COLOR output has no escape sequence at all. Lines never wrap (truncated instead), so
 * a long string cannot push the frame past its height.
 */
export function Txt({ color, bold, inverse, dim, children }: TxtProps) {
  const colour = useContext(ColorContext);
  if (!colour) return <Text wrap="truncate-end">{children}</Text>;
  return (
    <Text wrap="truncate-end" {...(color ? { color } : {})} bold={bold ?? false} inverse={inverse ?? false} dimColor={dim ?? false}>
      {children}
    </Text>
  );
}
