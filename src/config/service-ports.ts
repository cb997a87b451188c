/** Well-known services a user may name instead of a port number (see README, "Service presets"). */
export const SERVICE_PORTS: Readonly<Record<string, number>> = Object.freeze({
  ftp: 21,
  ssh: 22,
  telnet: 23,
  smtp: 25,
  dns: 53,
  http: 80,
  pop3: 110,
  ntp: 123,
  imap: 143,
  ldap: 389,
  https: 443,
  smtps: 465,
  syslog: 514,
  submission: 587,
  ldaps: 636,
  imaps: 993,
  pop3s: 995,
  mssql: 1433,
  oracle: 1521,
  mqtt: 1883,
  nfs: 2049,
  etcd: 2379,
  mysql: 3306,
  mariadb: 3306,
  rdp: 3389,
  nats: 4222,
  postgres: 5432,
  postgresql: 5432,
  amqp: 5672,
  vnc: 5900,
  redis: 6379,
  kubernetes: 6443,
  'http-alt': 8080,
  'mqtts': 8883,
  'https-alt': 8443,
  zookeeper: 2181,
  kafka: 9092,
  prometheus: 9090,
  elasticsearch: 9200,
  memcached: 11211,
  mongodb: 27017,
});

export function serviceNames(): string[] {
  return Object.keys(SERVICE_PORTS).sort();
}

/** Reverse lookup used for display: the first (canonical) name for a port. */
export function serviceForPort(port: number): string | undefined {
  for (const [name, p] of Object.entries(SERVICE_PORTS)) if (p === port) return name;
  return undefined;
}
