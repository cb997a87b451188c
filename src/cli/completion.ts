import type { CommandSpec, OptionSpec } from './command-spec.js';
import { COMMANDS, GROUPS } from './specs.js';

/** Shell completion scripts, made from the same declarations as the help. */

interface Word {
  /** "report", or "config validate". */
  path: string[];
  spec: CommandSpec;
}

function words(): Word[] {
  return COMMANDS.map((spec) => ({ path: spec.name.split(' '), spec }));
}

function flags(spec: CommandSpec): string[] {
  const out = ['--help'];
  for (const [name, o] of Object.entries(spec.options)) {
    out.push(`--${name}`);
    if (o.short) out.push(`-${o.short}`);
  }
  return out;
}

function valueCompletion(o: OptionSpec): 'file' | 'dir' | 'host' | readonly string[] | undefined {
  if (o.type !== 'string') return undefined;
  return o.choices ?? o.complete;
}

const firstWords = (): string[] => [...new Set(words().map((w) => w.path[0]!))].concat(['help']);

/** A first word's one-line description: the command's, or the group's. */
function summaryOf(first: string): string {
  return GROUPS[first] ?? words().find((w) => w.path[0] === first)?.spec.summary ?? 'this help';
}

function bash(): string {
  const cases = words()
    .map((w) => {
      const key = w.path.join(' ');
      const opts = Object.entries(w.spec.options)
        .flatMap(([name, o]) => {
          const v = valueCompletion(o);
          if (!v) return [];
          const names = [`--${name}`, ...(o.short ? [`-${o.short}`] : [])].join('|');
          const action = Array.isArray(v) ? `COMPREPLY=($(compgen -W "${(v as readonly string[]).join(' ')}" -- "$cur"))` : v === 'dir' ? 'COMPREPLY=($(compgen -d -- "$cur"))' : v === 'file' ? 'COMPREPLY=($(compgen -f -- "$cur"))' : 'COMPREPLY=($(compgen -A hostname -- "$cur"))';
          return [`        ${names}) ${action}; return;;`];
        })
        .join('\n');
      const args = w.spec.args?.choices ? `compgen -W "${w.spec.args.choices.join(' ')}" -- "$cur"` : w.spec.args?.complete === 'file' ? 'compgen -f -- "$cur"' : w.spec.args?.complete === 'host' ? 'compgen -A hostname -- "$cur"' : 'true';
      return `    "${key}")
      case "$prev" in
${opts}
      esac
      if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "${flags(w.spec).join(' ')}" -- "$cur")); else COMPREPLY=($(${args})); fi;;`;
    })
    .join('\n');
  const groups = [...new Set(words().filter((w) => w.path.length > 1).map((w) => w.path[0]!))];
  const groupCases = groups.map((g) => `    ${g}) if [[ $COMP_CWORD -eq 2 ]]; then COMPREPLY=($(compgen -W "${words().filter((w) => w.path[0] === g).map((w) => w.path[1]).join(' ')}" -- "$cur")); return; fi; key="${g} \${COMP_WORDS[2]}";;`).join('\n');
  return `# porthole completion for bash: source <(porthole completion bash)
_porthole() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" key
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=($(compgen -W "${firstWords().join(' ')} --help --version" -- "$cur"))
    return
  fi
  key="\${COMP_WORDS[1]}"
  case "$key" in
${groupCases}
  esac
  case "$key" in
${cases}
  esac
}
complete -F _porthole porthole
`;
}

function zsh(): string {
  const describe = (s: string) => s.replace(/'/g, "'\\''").replace(/:/g, '\\:');
  const spec = (w: Word) => {
    const opts = Object.entries(w.spec.options).map(([name, o]) => {
      const v = valueCompletion(o);
      const action = !v ? '' : Array.isArray(v) ? `:value:(${(v as readonly string[]).join(' ')})` : v === 'dir' ? ':dir:_files -/' : v === 'file' ? ':file:_files' : ':host:_hosts';
      return `'--${name}[${describe(o.help)}]${action}'`;
    });
    const args = w.spec.args ? (w.spec.args.choices ? `'*:${w.spec.args.name}:(${w.spec.args.choices.join(' ')})'` : w.spec.args.complete === 'file' ? `'*:${w.spec.args.name}:_files'` : w.spec.args.complete === 'host' ? `'*:${w.spec.args.name}:_hosts'` : '') : '';
    return `_arguments ${[...opts, "'--help[show help]'", args].filter(Boolean).join(' ')}`;
  };
  const top = words().map((w) => `'${w.path.join(' ').replace(/ /g, '\\ ')}:${describe(w.spec.summary)}'`);
  const cases = words()
    .map((w) => `    "${w.path.join(' ')}") ${spec(w)} ;;`)
    .join('\n');
  return `#compdef porthole
# porthole completion for zsh: porthole completion zsh > "\${fpath[1]}/_porthole"
_porthole() {
  if (( CURRENT == 2 )); then
    local -a cmds; cmds=(${firstWords()
      .map((f) => `'${f}:${describe(summaryOf(f))}'`)
      .join(' ')}); _describe command cmds; return
  fi
  local key="\${words[2]}"
  if (( CURRENT == 3 )) && [[ "$key" == (config|history|notify) ]]; then
    local -a subs; subs=(${top.filter((t) => / /.test(t.split(':')[0]!.replace(/\\ /g, ' '))).join(' ')}); _describe subcommand subs; return
  fi
  [[ "$key" == (config|history|notify) ]] && key="$key \${words[3]}"
  case "$key" in
${cases}
  esac
}
_porthole "$@"
`;
}

function fish(): string {
  const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
  const lines = ['# porthole completion for fish: porthole completion fish > ~/.config/fish/completions/porthole.fish', 'complete -c porthole -f'];
  for (const f of firstWords()) {
    const summary = summaryOf(f);
    lines.push(`complete -c porthole -n '__fish_use_subcommand' -a ${f} -d '${esc(summary)}'`);
  }
  for (const w of words()) {
    const [first, second] = w.path;
    const cond = second ? `__fish_seen_subcommand_from ${first}; and __fish_seen_subcommand_from ${second}` : `__fish_seen_subcommand_from ${first}`;
    if (second) lines.push(`complete -c porthole -n '__fish_seen_subcommand_from ${first}; and not __fish_seen_subcommand_from ${words().filter((x) => x.path[0] === first).map((x) => x.path[1]).join(' ')}' -a ${second} -d '${esc(w.spec.summary)}'`);
    for (const [name, o] of Object.entries(w.spec.options)) {
      const v = valueCompletion(o);
      const value = !v ? '' : Array.isArray(v) ? ` -x -a '${(v as readonly string[]).join(' ')}'` : v === 'file' || v === 'dir' ? ' -r -F' : ' -x -a "(__fish_print_hostnames)"';
      lines.push(`complete -c porthole -n '${cond}' -l ${name}${o.short ? ` -s ${o.short}` : ''}${value} -d '${esc(o.help)}'`);
    }
    if (w.spec.args?.choices) lines.push(`complete -c porthole -n '${cond}' -a '${w.spec.args.choices.join(' ')}'`);
    else if (w.spec.args?.complete === 'file') lines.push(`complete -c porthole -n '${cond}' -F`);
    else if (w.spec.args?.complete === 'host') lines.push(`complete -c porthole -n '${cond}' -a "(__fish_print_hostnames)"`);
  }
  return `${lines.join('\n')}\n`;
}

export function completionScript(shell: string): string | undefined {
  if (shell === 'bash') return bash();
  if (shell === 'zsh') return zsh();
  if (shell === 'fish') return fish();
  return undefined;
}
