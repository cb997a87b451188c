import { ConfigError, type Problem } from '../config/problems.js';
import { sanitize } from '../text/sanitize.js';
import { loadConfigFile } from '../config/load.js';
import { join } from 'node:path';
import { configForDisplay } from '../config/display.js';
import { chooseConfig, userConfigDir } from '../runtime/paths.js';
import { loadMerged } from '../runtime/config-source.js';
import { EXIT_BAD_CONFIG } from '../check/exit-codes.js';
import { parseCommand, stringValue, type Io } from './command-spec.js';
import { subcommand } from './group.js';
import { CONFIG_PATH, CONFIG_SHOW, CONFIG_VALIDATE } from './specs.js';

function warningLine(w: Problem): string {
  return sanitize(`warning: ${w.path}: ${w.message}`, 2000);
}

export function runConfigValidate(file: string | undefined, out: NodeJS.WritableStream, err: NodeJS.WritableStream): number {
  const choice = chooseConfig(file);
  try {
    const cfg = loadConfigFile(choice.file);
    out.write(`${choice.file}: OK, ${cfg.targets.length} target${cfg.targets.length === 1 ? '' : 's'}\n`);
    for (const w of cfg.warnings) err.write(`${warningLine(w)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof ConfigError) {
      err.write(`${e.report()}\n`);
      return EXIT_BAD_CONFIG;
    }
    throw e;
  }
}

export function runConfigShow(file: string | undefined, out: NodeJS.WritableStream, err: NodeJS.WritableStream): number {
  const choice = chooseConfig(file);
  try {
    const { cfg, targets, warnings } = loadMerged(choice.file);
    for (const w of [...cfg.warnings.map(warningLine), ...warnings]) err.write(`${w}\n`);
    out.write(`${JSON.stringify(configForDisplay(cfg.defaults, targets, cfg.raw), null, 2)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof ConfigError) {
      err.write(`${e.report()}\n`);
      return EXIT_BAD_CONFIG;
    }
    throw e;
  }
}

export function runConfigPath(out: NodeJS.WritableStream): number {
  const choice = chooseConfig(undefined);
  out.write(`config in use: ${choice.file} (${choice.why})\nuser config:   ${join(userConfigDir(), 'config.json')}\n`);
  return 0;
}

/** `porthole config validate|show|path`. */
export function runConfig(argv: string[], io: Io): number {
  const chosen = subcommand('config', argv, io);
  if ('exit' in chosen) return chosen.exit;
  const spec = chosen.sub === 'validate' ? CONFIG_VALIDATE : chosen.sub === 'show' ? CONFIG_SHOW : CONFIG_PATH;
  const parsed = parseCommand(spec, chosen.rest, io);
  if ('exit' in parsed) return parsed.exit;
  if (chosen.sub === 'validate') return runConfigValidate(parsed.args[0], io.out, io.err);
  if (chosen.sub === 'show') return runConfigShow(stringValue(parsed.values, 'config'), io.out, io.err);
  return runConfigPath(io.out);
}
