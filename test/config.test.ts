import fs from 'node:fs';
import path from 'node:path';
import { runCli, tempDirWith, ROOT } from './helpers/cli';
import { createSoftHsm } from './helpers/softhsm';

const FIXTURE_PLUGIN = path.join(ROOT, 'test', 'fixtures', 'providers', 'nrfutil-memory-provider');
const generate = (key: string[], out: string) => ['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--application', 'app_nrf52.hex', '--application-version', '1', ...key, out];

function project(config: object, file = '.nrfutilrc.json') {
  const dir = tempDirWith('app_nrf52.hex', 'key_a.pem');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'firmware' }));
  fs.writeFileSync(path.join(dir, file), JSON.stringify(config));
  return dir;
}

describe('nrfutil config file', () => {
  test('keyDir lets --device alone choose <keyDir>/<device>.pem; flags override it', () => {
    const dir = project({ provider: 'device-dir', keyDir: 'keys' });
    fs.mkdirSync(path.join(dir, 'keys'));
    fs.copyFileSync(path.join(dir, 'key_a.pem'), path.join(dir, 'keys', 'dev-7.pem'));
    expect(runCli(generate(['--device', 'dev-7'], 'a.zip'), { cwd: dir }).status).toBe(0);
    expect(runCli(generate(['--key-file', 'key_a.pem'], 'b.zip'), { cwd: dir }).status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'a.zip'))).toEqual(fs.readFileSync(path.join(dir, 'b.zip')));
    // a flag wins over the config: another directory without that key
    fs.mkdirSync(path.join(dir, 'empty'));
    const res = runCli(generate(['--key-dir', 'empty', '--device', 'dev-7'], 'c.zip'), { cwd: dir });
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/No key for device dev-7/);
  });

  test('the config is found from a subdirectory, in package.json too', () => {
    const dir = tempDirWith('app_nrf52.hex', 'key_a.pem');
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'fw', nrfutil: { keyDir: 'keys' } }));
    fs.mkdirSync(path.join(dir, 'keys'));
    fs.copyFileSync(path.join(dir, 'key_a.pem'), path.join(dir, 'keys', 'd1.pem'));
    fs.mkdirSync(path.join(dir, 'sub'));
    const res = runCli(['keys', 'display', '--key', 'pk', '--format', 'hex', '--device', 'd1'], { cwd: path.join(dir, 'sub') });
    expect(res.status).toBe(0);
  });

  test('a bad config is one line naming the file', () => {
    const dir = project({ keyDirectory: 'keys' });
    const res = runCli(generate(['--key-file', 'key_a.pem'], 'a.zip'), { cwd: dir });
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/^Error: Config .*\.nrfutilrc\.json: unknown setting "keyDirectory"/);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
  });

  test('pkcs11 module, token and object template from the config (nrfutil.config.cjs)', () => {
    const hsm = createSoftHsm('fleet');
    const dir = tempDirWith('app_nrf52.hex');
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'fw' }));
    fs.writeFileSync(path.join(dir, 'nrfutil.config.cjs'), `module.exports = ${JSON.stringify({ provider: 'pkcs11', pkcs11: { module: hsm.module, token: 'fleet', object: 'dev-{device}' } })};`);
    const env = { SOFTHSM2_CONF: hsm.env.SOFTHSM2_CONF, NRFUTIL_PKCS11_PIN: hsm.pin, NRFUTIL_PKCS11_MODULE: undefined };
    expect(runCli(['keys', 'generate', 'pkcs11:object=dev-9'], { cwd: dir, env }).status).toBe(0);
    const res = runCli(generate(['--device', '9'], 'a.zip'), { cwd: dir, env });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(runCli(['pkg', 'verify', 'a.zip', '--key-file', 'pkcs11:object=dev-9'], { cwd: dir, env }).status).toBe(0);
  });

  test('a third-party provider package named in the config signs and verifies', () => {
    const dir = project({ plugins: ['nrfutil-memory-provider'] });
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(FIXTURE_PLUGIN, path.join(dir, 'node_modules', 'nrfutil-memory-provider'));
    expect(runCli(generate(['--key-file', 'memory:alpha'], 'a.zip'), { cwd: dir }).status).toBe(0);
    expect(runCli(['pkg', 'verify', 'a.zip', '--key-file', 'memory:alpha'], { cwd: dir }).status).toBe(0);
    const other = runCli(['pkg', 'verify', 'a.zip', '--key-file', 'memory:beta'], { cwd: dir });
    expect(other.status).toBe(1);
    expect(other.stdout).toMatch(/signed by another key/);
    const code = runCli(['keys', 'display', '--key', 'pk', '--format', 'code', 'memory:alpha'], { cwd: dir });
    expect(code.status).toBe(0);
    expect(code.stdout).toContain('const uint8_t pk[64]');
  });

  test('a plugin that cannot be loaded is one line', () => {
    const dir = project({ plugins: ['no-such-provider-package'] });
    const res = runCli(generate(['--key-file', 'key_a.pem'], 'a.zip'), { cwd: dir });
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/^Error: Config .*: cannot load key provider plugin 'no-such-provider-package'/);
  });
});
