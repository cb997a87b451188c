#!/usr/bin/env node
// Parses the command line and hands over to one front end. Each command's module is imported only
// when that command runs: a one-shot check does not load the console, the database or the mailer.
// The command table loads here only for help and mistakes; each command imports the spec it parses
// with, so in the installed bundle `check` starts from main.js and one file (src/build/bundle.mjs).
const specs = () => import('./specs.js');

type Run = (argv: string[]) => Promise<number> | number;

const io = () => ({ out: process.stdout, err: process.stderr });

const RUN: Record<string, () => Promise<Run>> = {
  ui: async () => (await import('./ui-cmd.js')).runUi,
  watch: async () => (await import('./watch-cmd.js')).runWatch,
  agent: async () => {
    const run = (await import('./agent-cmd.js')).runAgentCommand;
    return async (argv) => run(argv, await version());
  },
  status: async () => {
    const { runStatus } = await import('./status-cmd.js');
    return (argv) => runStatus(argv, process.stdout, process.stderr);
  },
  reload: async () => {
    const { runReload } = await import('./reload-cmd.js');
    return (argv) => runReload(argv, process.stdout, process.stderr);
  },
  check: async () => {
    const { runCheckCmd } = await import('./check-cmd.js');
    return (argv) => runCheckCmd(argv);
  },
  config: async () => {
    const { runConfig } = await import('./config-cmd.js');
    return (argv) => runConfig(argv, io());
  },
  report: async () => {
    const { runReport } = await import('./report-cmd.js');
    return (argv) => runReport(argv, io());
  },
  export: async () => {
    const { runExport } = await import('./export-cmd.js');
    return (argv) => runExport(argv, io());
  },
  history: async () => {
    const { runHistory } = await import('./history-cmd.js');
    return (argv) => runHistory(argv, io());
  },
  discover: async () => {
    const { runDiscover } = await import('./discover-cmd.js');
    return (argv) => runDiscover(argv, io());
  },
  notify: async () => {
    const { runNotify } = await import('./notify-cmd.js');
    return (argv) => runNotify(argv, io());
  },
  cluster: async () => {
    const { runCluster } = await import('./cluster-cmd.js');
    return (argv) => runCluster(argv, io());
  },
  completion: async () => {
    const { runCompletion } = await import('./completion-cmd.js');
    return (argv) => runCompletion(argv, io());
  },
};

async function overview(): Promise<string> {
  const { COMMANDS } = await specs();
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  const lines = COMMANDS.map((c) => `  porthole ${c.name.padEnd(width)}${c.summary}`);
  return `porthole — TCP/port monitor for the terminal

Usage: porthole [COMMAND] [OPTIONS]   (no command: the live console)

${lines.join('\n')}
  porthole ${'help [COMMAND]'.padEnd(width)}this text, or a command's
  porthole ${'--version'.padEnd(width)}the version (--verbose: Node's, and the Ink patch file by file)

"porthole COMMAND --help" prints a command's options.
`;
}

async function version(): Promise<string> {
  return (await import('./version-cmd.js')).version();
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined) return (await RUN.ui!())([]);
  if (cmd === 'help' || cmd === '--help' || cmd === '-h') {
    const topic = rest.join(' ');
    const [{ COMMANDS }, { helpText }] = await Promise.all([specs(), import('./command-spec.js')]);
    const spec = COMMANDS.find((c) => c.name === topic);
    if (topic && RUN[topic] && !spec) return (await RUN[topic]())(['--help']);
    process.stdout.write(spec ? helpText(spec) : await overview());
    return 0;
  }
  if (cmd === '--version' || cmd === '-V' || cmd === 'version') {
    return (await import('./version-cmd.js')).runVersion(rest, process.stdout);
  }
  const load = RUN[cmd];
  if (load) return (await load())(rest);
  if (cmd.startsWith('-')) return (await RUN.ui!())(argv);
  process.stderr.write(`porthole: unknown command "${cmd.replace(/[^\x20-\x7e]/g, '?').slice(0, 60)}"\n\n${await overview()}`);
  return 2;
}

// A closed pipe (`porthole export … | head`) ends the command quietly, as for every Unix tool.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if ((err as NodeJS.ErrnoException | null)?.code === 'EPIPE') {
      process.exitCode = 0;
      return;
    }
    const detail = err instanceof Error ? (process.env.PORTHOLE_DEBUG ? (err.stack ?? err.message) : err.message) : String(err);
    process.stderr.write(`porthole: internal error: ${detail}\n`);
    process.exitCode = 70;
  },
);
