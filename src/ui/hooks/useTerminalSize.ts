import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

export interface TermSize {
  columns: number;
  rows: number;
}

/** The terminal's size, re-read on every resize; `override` (tests) wins. */
export function useTerminalSize(override?: TermSize): TermSize {
  const { stdout } = useStdout();
  const read = (): TermSize => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState<TermSize>(read);
  useEffect(() => {
    if (override) return;
    const onResize = (): void => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stdout, override]);
  return override ?? size;
}
