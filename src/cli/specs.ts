import type { CommandSpec, OptionSpec } from './command-spec.js';

// The declaration of every command: help, usage errors and shell completion come from here. Kept
// apart from the commands' code so `porthole help` and completion load none of it.

const config: OptionSpec = { type: 'string', short: 'c', value: 'FILE', help: 'the config file (else $PORTHOLE_CONFIG, the user config, the example)', complete: 'file' };
const dataDir: OptionSpec = { type: 'string', value: 'DIR', help: 'where the history lives (else $PORTHOLE_DATA_DIR, the config\'s dataDir, the OS data dir)', complete: 'dir' };
const agent: OptionSpec = { type: 'string', value: 'URL', help: 'an agent elsewhere (token from $PORTHOLE_AGENT_TOKEN)' };
const cluster: OptionSpec = { type: 'string', value: 'URL', help: 'a NATS server of the cluster (else the config\'s cluster.url; token from $PORTHOLE_CLUSTER_TOKEN)' };
const json: OptionSpec = { type: 'boolean', help: 'structured output' };
const since: OptionSpec = { type: 'string', value: '24h|7d|30d|DURATION', help: 'the period', default: '24h' };

export const UI: CommandSpec = {
  name: 'ui',
  summary: 'the live console (the default command); attaches to a running agent',
  usage: ['[ui] [--config FILE] [--data-dir DIR] [--agent URL] [--local] [--no-color]', 'ui --cluster URL [--config FILE] [--no-color]'],
  about:
    'Opens the live console. With an agent running on the data dir (porthole agent) the console attaches\n' +
    'to it and quitting stops nothing; --agent attaches to another one; --local runs the checks in the\n' +
    'console itself, as when no agent runs. --cluster shows a cluster of agents over NATS: each target by\n' +
    'quorum and per location (credentials from the config\'s cluster section); a config with a cluster\n' +
    'section opens that view too, unless --local or --agent is given. Needs a terminal.',
  options: {
    config,
    'data-dir': dataDir,
    agent,
    cluster,
    local: { type: 'boolean', help: 'check from this console even if an agent runs' },
    'no-color': { type: 'boolean', help: 'no colour (also NO_COLOR=1)' },
  },
};

export const WATCH: CommandSpec = {
  name: 'watch',
  summary: 'the console on targets named on the command line, nothing written',
  usage: ['watch HOST:PORT|HOST:SERVICE ... [-i DURATION] [--no-color]'],
  about:
    'Opens the console on the targets given (db1:5432, db1:postgres, [::1]:6379), the way tcping and gping\n' +
    'start from the command line. Nothing is read from or written to the config, the console state or\n' +
    'the history; no alerts are sent.',
  options: {
    interval: { type: 'string', short: 'i', value: 'DURATION', help: 'time between checks', default: '1s' },
    timeout: { type: 'string', short: 't', value: 'DURATION', help: 'give up on a handshake after', default: '2s' },
    'no-color': { type: 'boolean', help: 'no colour (also NO_COLOR=1)' },
  },
  args: { name: 'HOST:PORT', complete: 'host' },
  maxArgs: 200,
};

export const AGENT: CommandSpec = {
  name: 'agent',
  summary: 'the monitor as a service: no terminal, /metrics, /healthz, API for consoles',
  usage: [
    'agent [--config FILE] [--data-dir DIR] [--listen HOST:PORT] [--log-format text|json] [--tls-cert FILE --tls-key FILE] [--handshake-histogram agent|target]',
    'agent --print-systemd-unit [--config FILE]',
  ],
  about:
    'Runs the monitor without a terminal: checks, history and alerts, one log line per event on stdout.\n' +
    'Serves /metrics (Prometheus) and /healthz without a token, and /api/v1/… (snapshot, event stream,\n' +
    'actions for consoles) with the token it keeps in DATA_DIR/agent.token (mode 0600). SIGHUP, a changed\n' +
    'config file or "porthole reload" re-read the config; SIGTERM/SIGINT drain and exit 0.',
  options: {
    config,
    'data-dir': dataDir,
    listen: { type: 'string', value: 'HOST:PORT', help: 'where to serve; another address than loopback only when given', default: '127.0.0.1:9178' },
    'log-format': { type: 'string', help: 'log lines as text or JSON', default: 'text', choices: ['text', 'json'] },
    'tls-cert': { type: 'string', value: 'FILE', help: 'serve HTTPS with this certificate (PEM)', complete: 'file' },
    'tls-key': { type: 'string', value: 'FILE', help: 'and this key (PEM)', complete: 'file' },
    'handshake-histogram': { type: 'string', help: "/metrics' handshake histogram: one for the agent, or one per target (14 series each)", default: 'agent', choices: ['agent', 'target'] },
    'print-systemd-unit': { type: 'boolean', help: 'print a systemd unit for this porthole and exit' },
  },
};

export const STATUS: CommandSpec = {
  name: 'status',
  summary: "every target's state now, from the running agent (Nagios exit code)",
  usage: ['status [--json] [--config FILE] [--data-dir DIR] [--agent URL]', 'status --cluster URL [--json] [--config FILE]'],
  about:
    'The current state of every target, one line each, from the agent running on the data dir (or\n' +
    '--agent URL); with no agent, from one round of checks of the config. Exit code: the worst state, as\n' +
    'a Nagios plugin (0 OK, 1 WARNING for SLOW or RETRYING, 2 CRITICAL for DOWN, 3 UNKNOWN).\n' +
    'With --cluster: each target by quorum of the locations (DOWN 2/3, PARTIAL 2/3 up, UP, STALE) and\n' +
    'each location\'s own state, from the results stream (2 DOWN, 1 PARTIAL, 3 STALE, 0 UP).',
  options: { json, config, 'data-dir': dataDir, agent, cluster },
  usageExit: 3,
};

export const RELOAD: CommandSpec = {
  name: 'reload',
  summary: 'make the running agent re-read its config',
  usage: ['reload [--config FILE] [--data-dir DIR] [--agent URL]'],
  about:
    'Asks the running agent to re-read its config file (as SIGHUP does) and prints what changed, or why the\n' +
    'new config was refused (the running one then stays in force). Exit 0 applied, 1 refused, 2 no agent.',
  options: { config, 'data-dir': dataDir, agent },
};

export const CHECK: CommandSpec = {
  name: 'check',
  summary: 'check once, Nagios plugin output and exit codes',
  usage: ['check [options] HOST:PORT [HOST:PORT ...]', 'check [options] -H HOST -p PORT', 'check [options] --config FILE'],
  about:
    'Checks each target once (with retries) and exits with Nagios plugin codes: 0 OK, 1 WARNING,\n' +
    '2 CRITICAL, 3 UNKNOWN; with several targets, the worst. Each line names its target.',
  options: {
    hostname: { type: 'string', short: 'H', value: 'HOST', help: 'host to check (with -p), as check_tcp', complete: 'host' },
    port: { type: 'string', short: 'p', value: 'PORT', help: 'port or service name (with -H)' },
    warning: { type: 'string', short: 'w', value: 'SECS', help: "WARNING when the handshake takes longer (default: the target's slowAfter, 1s)" },
    critical: { type: 'string', short: 'c', value: 'SECS', help: 'CRITICAL when the handshake takes longer' },
    timeout: { type: 'string', short: 't', value: 'SECS', help: "give up on a handshake after this long (default: the target's, 5)" },
    retries: { type: 'string', value: 'N', help: "extra attempts before a failure counts (default: the target's, 1)" },
    'retry-delay': { type: 'string', value: 'DURATION', help: "wait between attempts (default: the target's, 2s)" },
    '4': { type: 'boolean', short: '4', help: 'IPv4 only' },
    '6': { type: 'boolean', short: '6', help: 'IPv6 only' },
    config: { ...config, short: undefined, help: 'check every unpaused target of a config file' },
    json,
  },
  args: { name: 'HOST:PORT', complete: 'host' },
  maxArgs: 1000,
  usageExit: 3,
};

export const CONFIG_VALIDATE: CommandSpec = {
  name: 'config validate',
  summary: 'check a config file; every problem with its JSON path',
  usage: ['config validate [FILE]'],
  about: 'Checks a config file (default: the one in use) and prints every problem with its JSON path. Exit 0 valid, 2 not.',
  options: {},
  args: { name: 'FILE', complete: 'file' },
  maxArgs: 1,
};

export const CONFIG_SHOW: CommandSpec = {
  name: 'config show',
  summary: 'the config in use, merged with changes made in the console (secrets hidden)',
  usage: ['config show [--config FILE]'],
  about: 'Prints the config in use merged with the changes made in the console, secrets hidden.',
  options: { config },
};

export const CONFIG_PATH: CommandSpec = {
  name: 'config path',
  summary: 'where porthole reads its config and keeps its state',
  usage: ['config path'],
  about: 'Prints where porthole reads its config and keeps its state.',
  options: {},
};

export const REPORT: CommandSpec = {
  name: 'report',
  summary: 'uptime, outages, MTTR, handshake p50/p95 from history',
  usage: ['report [--since 24h|7d|30d|DURATION] [--json] [--data-dir DIR] [--config FILE]'],
  about:
    'Per target over the period: time-weighted uptime, outages, mean time to recovery, longest outage and\n' +
    'handshake p50/p95, from the history the console or agent records.\n' +
    'Exit 0; 1 when there is no readable history; 2 for bad arguments.',
  options: { since, json, 'data-dir': dataDir, config },
};

export const EXPORT: CommandSpec = {
  name: 'export',
  summary: 'samples or incidents as CSV or JSON lines',
  usage: ['export --format csv|json [--kind samples|incidents] [--since DURATION] [--target ID|NAME] [--data-dir DIR] [--config FILE]'],
  about:
    'Writes recorded samples (default) or incidents to stdout, oldest first: CSV with a header row, or JSON\n' +
    'lines (one object per line). Samples are kept raw for 48 h; incidents for a year.',
  options: {
    format: { type: 'string', help: 'CSV or JSON lines', choices: ['csv', 'json'] },
    kind: { type: 'string', help: 'what to export', default: 'samples', choices: ['samples', 'incidents'] },
    since,
    target: { type: 'string', value: 'ID|NAME', help: 'one target only' },
    'data-dir': dataDir,
    config,
  },
};

export const HISTORY_PRUNE: CommandSpec = {
  name: 'history prune',
  summary: 'apply history retention now',
  usage: ['history prune [--keep-raw DURATION] [--data-dir DIR] [--config FILE]'],
  about:
    'Applies retention now and prints what it removed: raw samples older than 48 h (or --keep-raw),\n' +
    'per-minute aggregates older than 30 d, per-hour and per-day aggregates and ended incidents older than\n' +
    '1 year. Nothing is removed before it has been summarised into the next level.',
  options: { 'keep-raw': { type: 'string', value: 'DURATION', help: 'keep raw samples this long', default: '48h' }, 'data-dir': dataDir, config },
};

export const DISCOVER: CommandSpec = {
  name: 'discover',
  summary: 'find the ports of a host that answer, and write a config',
  usage: ['discover HOST [--ports common|1-1024|22,80,443] [--json] [--write FILE [--force]]'],
  about:
    'Finds which TCP ports of HOST answer (open / closed / filtered, as nmap -sT) and names the service on each\n' +
    'open port from what it says first (SSH, SMTP, FTP, MySQL, NATS ...) or from its answer to one harmless\n' +
    'question per protocol (HTTP HEAD, a TLS handshake, redis PING, the presets), within 3 s a port. Only HOST\n' +
    '(its first address) is contacted.',
  options: {
    ports: { type: 'string', value: 'SPEC', help: "common (the presets' ports, default), a range 1-1024, a list 22,80,443, or a mix" },
    concurrency: { type: 'string', value: 'N', help: 'handshakes in flight (default 1000, fewer under a low open-file limit; at most 5000)' },
    timeout: { type: 'string', value: 'DURATION', help: 'give up on one handshake after this long (default 1s): then "filtered"' },
    'no-banners': { type: 'boolean', help: 'fast path: handshake only, closed at once as nmap -sT does; named by port number' },
    '4': { type: 'boolean', short: '4', help: 'IPv4 only' },
    '6': { type: 'boolean', short: '6', help: 'IPv6 only' },
    json,
    write: { type: 'string', value: 'FILE', help: 'write a config with one target per open port', complete: 'file' },
    force: { type: 'boolean', help: 'overwrite FILE' },
  },
  args: { name: 'HOST', complete: 'host' },
  maxArgs: 1,
};

export const NOTIFY_TEST: CommandSpec = {
  name: 'notify test',
  summary: 'send a test alert through the configured notifiers',
  usage: ['notify test [CHANNEL] [--config FILE]'],
  about:
    'Sends a clearly marked test alert through one notifier of the config (or all of them) and says, for\n' +
    'each, that it was delivered or exactly why not. Exit 0 when every one was delivered, 1 when any\n' +
    'failed, 2 for a usage or config error.',
  options: { config },
  args: { name: 'CHANNEL' },
  maxArgs: 1,
};

export const COMPLETION: CommandSpec = {
  name: 'completion',
  summary: 'print a shell completion script (bash, zsh, fish)',
  usage: ['completion bash|zsh|fish'],
  about:
    'Prints a completion script for the shell. bash: `source <(porthole completion bash)` in ~/.bashrc;\n' +
    'zsh: `porthole completion zsh > "${fpath[1]}/_porthole"`; fish: `porthole completion fish >\n' +
    '~/.config/fish/completions/porthole.fish`.',
  options: {},
  args: { name: 'SHELL', choices: ['bash', 'zsh', 'fish'] },
  maxArgs: 1,
};

export const CLUSTER_PUSH: CommandSpec = {
  name: 'cluster push',
  summary: "replace the cluster's shared target list with a config's targets",
  usage: ['cluster push FILE [--cluster URL]'],
  about:
    "Makes the cluster's target list (the KV bucket porthole-targets) hold exactly FILE's targets: new and\n" +
    'changed ones are written, the others deleted; every agent applies it within a second. Connects with\n' +
    "FILE's cluster section (or --cluster URL). Prints what changed. Exit 0, 1 when NATS cannot be reached, 2\n" +
    'for a usage or config error.',
  options: { cluster },
  args: { name: 'FILE', complete: 'file' },
  maxArgs: 1,
};

export const CLUSTER_PULL: CommandSpec = {
  name: 'cluster pull',
  summary: "write the cluster's shared target list out as a config",
  usage: ['cluster pull [--write FILE [--force]] [--config FILE] [--cluster URL]'],
  about:
    "Reads the cluster's target list and prints it as a config ({\"targets\": [...]}), or writes it to FILE\n" +
    "(never over an existing file without --force). Connects with the config's cluster section or --cluster URL.",
  options: { config, cluster, write: { type: 'string', value: 'FILE', help: 'write here instead of stdout', complete: 'file' }, force: { type: 'boolean', help: 'overwrite FILE' } },
};

/** Every command, in the order `porthole help` lists them. */
export const COMMANDS: readonly CommandSpec[] = [UI, WATCH, AGENT, STATUS, RELOAD, CHECK, CONFIG_VALIDATE, CONFIG_SHOW, CONFIG_PATH, REPORT, EXPORT, HISTORY_PRUNE, DISCOVER, NOTIFY_TEST, CLUSTER_PUSH, CLUSTER_PULL, COMPLETION];

/** What each command with subcommands is for, in a few words. */
export const GROUPS: Readonly<Record<string, string>> = {
  config: 'check, show or locate the config',
  history: 'look after the history database',
  notify: 'try the alert channels',
  cluster: 'the shared target list of agents joined over NATS',
};

/** Commands with subcommands: "porthole config --help" lists them. */
export function groupOf(name: string): CommandSpec[] {
  return COMMANDS.filter((c) => c.name.startsWith(`${name} `));
}
