/**
 * V8 flags the agent runs with: young-generation semi-spaces of 2 MB instead of growing to 16 MB.
 * At 1,000 checks/s the runtime allocates about 16 MB/s of short-lived objects; V8 then grows the
 * young generation to its maximum and keeps it. 2 MB semi-spaces took the agent's RSS down by 15-25
 * MB at 5,000 targets with no CPU cost we could measure (bench/agent; README "Benchmarks"); 1 MB cost
 * about a tenth more CPU in scavenges. They must be on node's command line: v8.setFlagsFromString()
 * at the agent's start does not resize a heap that already exists (Node 20: new space still grew to
 * 32 MB under allocation, 4 MB with the command-line flag), so `porthole agent` by hand runs without.
 */
export const AGENT_NODE_FLAGS = ['--max-semi-space-size=2'] as const;

/**
 * A systemd unit that runs the agent as it should run: a user of its own (no root: TCP checks need
 * none), its history and token under StateDirectory, restarted on failure, reloaded with SIGHUP,
 * stopped with SIGTERM (it drains within the longest check timeout).
 */
export function systemdUnit(o: { node: string; main: string; config: string }): string {
  return `# /etc/systemd/system/porthole.service — porthole agent
# Create the user once:   useradd --system --home-dir /var/lib/porthole --shell /usr/sbin/nologin porthole
# Config:                 ${o.config} (readable by the porthole user; secrets as \${env:NAME} in EnvironmentFile)
# Then:                   systemctl daemon-reload && systemctl enable --now porthole
# Console on this host:   sudo -u porthole porthole --data-dir /var/lib/porthole
[Unit]
Description=porthole TCP/port monitor (agent)
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=porthole
Group=porthole
StateDirectory=porthole
StateDirectoryMode=0750
ConfigurationDirectory=porthole
# Secrets referenced as \${env:NAME} in the config (TELEGRAM_TOKEN=..., SMTP_PASSWORD=...), mode 0600.
EnvironmentFile=-/etc/porthole/env
ExecStart=${o.node} ${AGENT_NODE_FLAGS.join(' ')} ${o.main} agent --config ${o.config} --data-dir \${STATE_DIRECTORY} --log-format text
ExecReload=/bin/kill -HUP $MAINPID
Restart=on-failure
RestartSec=5s
TimeoutStopSec=30s
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectControlGroups=yes
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX
# ICMP checks through fping need its capability; TCP checks need nothing.

[Install]
WantedBy=multi-user.target
`;
}
