import { ConfigError } from '../config/problems.js';
import { loadConfigFile } from '../config/load.js';
import { join } from 'node:path';
import { configForDisplay } from '../config/display.js';
import { chooseConfig, userConfigDir } from '../runtime/paths.js';
import { loadMerged } from '../runtime/config-source.js';
import { EXIT_BAD_CONFIG } from '../check/exit-codes.js';

export const CONFIG_USAGE = `Usage: porthole config validate [FILE]   check a config file; every problem with its JSON path (exit 2 if any)
       porthole config show [--config FILE]  print the config in use, merged with changes made in the console
       porthole config path                  print where porthole reads its config and keeps its state`;

export function runConfigValidate(file: string | undefined, out: NodeJS.WritableStream, err: NodeJS.WritableStream): number {
  const choice = chooseConfig(file);
  try {
    const cfg = loadConfigFile(choice.file);
    out.write(`${choice.file}: OK, ${cfg.targets.length} target${cfg.targets.length === 1 ? '' : 's'}\n`);
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
    for (const w of warnings) err.write(`${w}\n`);
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
