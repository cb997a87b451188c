import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A certificate authority's files, to sign with. */
export interface Issuer {
  certFile: string;
  keyFile: string;
}

/** Test certificates made with the openssl CLI: a CA, and leaves signed by it or by themselves. */
export class TestPki {
  readonly dir = mkdtempSync(join(tmpdir(), 'porthole-pki-'));
  readonly caFile = join(this.dir, 'ca.pem');

  constructor() {
    this.openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(this.dir, 'ca.key'), '-out', this.caFile, '-days', '30', '-subj', '/CN=porthole test CA']);
  }

  private openssl(args: string[]): void {
    execFileSync('openssl', args, { stdio: 'ignore' });
  }

  /** A leaf for `name`; validity from `notBefore` days ago to `notAfter` days from now; CA-signed unless selfSigned, or signed by `issuer`. */
  leaf(label: string, name: string, notBeforeDays: number, notAfterDays: number, selfSigned = false, issuer?: Issuer): { key: string; cert: string } {
    const key = join(this.dir, `${label}.key`);
    const csr = join(this.dir, `${label}.csr`);
    const crt = join(this.dir, `${label}.pem`);
    const ext = join(this.dir, `${label}.ext`);
    writeFileSync(ext, `subjectAltName=DNS:${name}\n`);
    this.openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${name}`]);
    // x509 -days cannot start in the past; the ca command can, with explicit dates.
    if (selfSigned) this.openssl(['x509', '-req', '-in', csr, '-signkey', key, '-out', crt, '-days', String(notAfterDays), '-extfile', ext]);
    else this.sign(csr, crt, issuer ?? { certFile: this.caFile, keyFile: join(this.dir, 'ca.key') }, notBeforeDays, notAfterDays, `subjectAltName=DNS:${name}`);
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(crt, 'utf8') };
  }

  /** An intermediate CA signed by the root (or by `issuer`), valid from `notBefore` days ago to `notAfter` days from now. */
  intermediate(label: string, cn: string, notBeforeDays: number, notAfterDays: number, issuer?: Issuer): Issuer & { cert: string } {
    const keyFile = join(this.dir, `${label}.key`);
    const csr = join(this.dir, `${label}.csr`);
    const certFile = join(this.dir, `${label}.pem`);
    this.openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', csr, '-subj', `/CN=${cn}`]);
    this.sign(csr, certFile, issuer ?? { certFile: this.caFile, keyFile: join(this.dir, 'ca.key') }, notBeforeDays, notAfterDays, 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign');
    return { keyFile, certFile, cert: readFileSync(certFile, 'utf8') };
  }

  private sign(csr: string, crt: string, issuer: Issuer, notBeforeDays: number, notAfterDays: number, extensions: string): void {
    const fmt = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
    writeFileSync(join(this.dir, 'index.txt'), '');
    writeFileSync(join(this.dir, 'serial'), `${Math.floor(Math.random() * 1e8).toString(16).padStart(8, '0')}\n`);
    const conf = join(this.dir, 'ca.cnf');
    writeFileSync(conf, `[ca]\ndefault_ca=d\n[d]\ndatabase=${join(this.dir, 'index.txt')}\nserial=${join(this.dir, 'serial')}\nnew_certs_dir=${this.dir}\ndefault_md=sha256\npolicy=p\nunique_subject=no\ncopy_extensions=none\n[p]\ncommonName=supplied\n[x]\n${extensions}\n`);
    this.openssl(['ca', '-batch', '-config', conf, '-cert', issuer.certFile, '-keyfile', issuer.keyFile, '-in', csr, '-out', crt, '-startdate', fmt(-notBeforeDays), '-enddate', fmt(notAfterDays), '-extensions', 'x', '-extfile', conf]);
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
