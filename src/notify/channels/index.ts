import type { NotifierConfig } from '../../config/notify-schema.js';
import type { Redactor } from '../redact.js';
import type { Channel } from '../types.js';
import { commandChannel } from './command.js';
import { emailChannel } from './email.js';
import { telegramChannel } from './telegram.js';
import { webhookChannel } from './webhook.js';

export function createChannel(name: string, cfg: NotifierConfig, redactor: Redactor): Channel {
  switch (cfg.type) {
    case 'webhook':
      return webhookChannel(name, cfg, redactor);
    case 'telegram':
      return telegramChannel(name, cfg, redactor);
    case 'email':
      return emailChannel(name, cfg, redactor);
    case 'command':
      return commandChannel(name, cfg, redactor);
  }
}

export function createChannels(notifiers: Record<string, NotifierConfig>, redactor: Redactor): Map<string, Channel> {
  return new Map(Object.entries(notifiers).map(([name, cfg]) => [name, createChannel(name, cfg, redactor)]));
}
