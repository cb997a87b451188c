import { parseCommand, type Io } from './command-spec.js';
import { completionScript } from './completion.js';
import { COMPLETION } from './specs.js';

export function runCompletion(argv: string[], io: Io): number {
  const parsed = parseCommand(COMPLETION, argv, io);
  if ('exit' in parsed) return parsed.exit;
  const shell = parsed.args[0];
  const script = shell ? completionScript(shell) : undefined;
  if (!script) {
    io.err.write(`porthole completion: which shell? bash, zsh or fish\nTry "porthole completion --help".\n`);
    return 2;
  }
  io.out.write(script);
  return 0;
}
