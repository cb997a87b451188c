import { ConfigError, type Problem } from '../config/problems.js';
import { sanitize } from '../text/sanitize.js';
import { loadConfigFile } from '../config/load.js';
import { join } from 'node:path';
import { configForDisplay } from '../config/display.js';
import { chooseConfig, userConfigDir } from './paths.js';
import { loadMerged } from './merged-config.js';
import { EXIT_BAD_CONFIG } from './exit-codes.js';

export const CONFIG_USAGE = `Usage: porthole config validate [FILE]   check a config file; every problem with its JSON path (exit 2 if any)
       porthole config show [--config FILE]  print the config in use, merged with changes made in the console
       porthole config path                  print where porthole reads its config and keeps its state`;

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

export function runConfigShow(args: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): number {
  const file = args[0] === '--config' ? args[1] : undefined;
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

export function runConfigPath(_args: string[], out: NodeJS.WritableStream): number {
  const choice = chooseConfig(undefined);
  out.write(`config in use: ${choice.file} (${choice.why})\nuser config:   ${join(userConfigDir(), 'config.json')}\n`);
  return 0;
}
