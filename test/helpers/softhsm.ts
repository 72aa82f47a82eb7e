import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const MODULE_CANDIDATES = ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so', '/usr/local/lib/softhsm/libsofthsm2.so'];

/** SoftHSM2's PKCS#11 module; the HSM tests fail (never skip) without it. */
export function softhsmModule(): string {
  const found = MODULE_CANDIDATES.find((p) => fs.existsSync(p));
  const util = spawnSync('softhsm2-util', ['--version']).status === 0;
  if (!found || !util) throw new Error('SoftHSM2 is not installed: apt-get install softhsm2 (.ci/run does it)');
  return found;
}

export interface SoftHsm {
  dir: string;
  module: string;
  /** Environment for the CLI: SOFTHSM2_CONF, module, PIN. */
  env: NodeJS.ProcessEnv;
  pin: string;
}

/** A fresh SoftHSM2 token store in a temporary directory, with the named tokens. */
export function createSoftHsm(...tokens: string[]): SoftHsm {
  const module = softhsmModule();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nrfutil-ts-hsm-'));
  fs.mkdirSync(path.join(dir, 'tokens'));
  const conf = path.join(dir, 'softhsm2.conf');
  fs.writeFileSync(conf, `directories.tokendir = ${path.join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  const pin = '1234';
  for (const label of tokens)
    execFileSync('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', '5678'], { env: { ...process.env, SOFTHSM2_CONF: conf }, stdio: 'ignore' });
  return { dir, module, pin, env: { SOFTHSM2_CONF: conf, NRFUTIL_PKCS11_MODULE: module, NRFUTIL_PKCS11_PIN: pin } };
}
