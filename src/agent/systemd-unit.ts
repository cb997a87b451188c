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
ExecStart=${o.node} ${o.main} agent --config ${o.config} --data-dir \${STATE_DIRECTORY} --log-format text
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
