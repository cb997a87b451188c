export { startNotifications, type NotificationService, type ChannelHealth, type StartNotificationsOptions } from './service.js';
export { inMaintenance, activeMaintenance } from './maintenance.js';
export { sendTestAlerts, type TestOutcome } from './test-alert.js';
export { createChannels } from './channels/index.js';
export { Redactor } from './redact.js';
export { Outbox, type OutboxRow } from './outbox.js';
export type { AlertItem, AlertKind, AlertMessage } from './types.js';
