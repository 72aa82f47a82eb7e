import { execFileSync } from 'node:child_process';
import { createPrivateKey, sign } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { readDfuPackage } from '../src/core/packageReader';
import { parseSignature } from '../src/core/signingRequest';
import { runCli, tempDirWith } from './helpers/cli';

const dir = tempDirWith('app_nrf52.hex', 'bl_nrf52.hex', 'sd_s1x0.hex', 'key_a.pem');
const at = (f: string) => path.join(dir, f);
const cli = (args: string[]) => runCli(args, { cwd: dir });
const APP = ['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--application', 'app_nrf52.hex', '--application-version', '3'];
const SD_BL_APP = ['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--sd-id', '0xCB', '--softdevice', 'sd_s1x0.hex', '--bootloader', 'bl_nrf52.hex', '--bootloader-version', '2',
  '--application', 'app_nrf52.hex', '--application-version', '4', '--sd-boot-validation', 'VALIDATE_ECDSA_P256_SHA256', '--app-boot-validation', 'VALIDATE_ECDSA_P256_SHA256'];

interface Request { format: string; package: string; publicKey: string | null; items: { id: string; message: string; sha256: string }[] }
const request = (f: string): Request => JSON.parse(fs.readFileSync(at(f), 'utf8'));

/** What a user does with openssl: each message to a file, `openssl dgst -sha256 -sign`, DER out. */
function opensslSignatures(req: Request, key: string, encoding: 'hex' | 'base64'): Record<string, string> {
  const out: Record<string, string> = {};
  req.items.forEach((item, i) => {
    fs.writeFileSync(at(`msg${i}.bin`), Buffer.from(item.message, 'hex'));
    execFileSync('openssl', ['dgst', '-sha256', '-sign', key, '-out', `sig${i}.der`, `msg${i}.bin`], { cwd: dir });
    out[item.id] = fs.readFileSync(at(`sig${i}.der`)).toString(encoding);
  });
  return out;
}

/** A KMS-like signer returning raw r‖s (node:crypto, dsaEncoding ieee-p1363). */
function rawSignatures(req: Request, key: string, encoding: 'hex' | 'base64'): Record<string, string> {
  const privateKey = createPrivateKey(fs.readFileSync(at(key)));
  return Object.fromEntries(req.items.map((item) => [item.id, sign('sha256', Buffer.from(item.message, 'hex'), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString(encoding)]));
}

const writeSigs = (f: string, signatures: Record<string, unknown>) => fs.writeFileSync(at(f), JSON.stringify({ signatures }));
const sha256Hex = (f: string) => require('node:crypto').createHash('sha256').update(fs.readFileSync(at(f))).digest('hex');

beforeAll(() => {
  expect(cli(['keys', 'generate', 'key_b.pem']).status).toBe(0);
  execFileSync('openssl', ['ec', '-in', 'key_b.pem', '-pubout', '-out', 'pub_b.pem'], { cwd: dir, stdio: 'ignore' });
  execFileSync('openssl', ['ec', '-in', 'key_a.pem', '-pubout', '-out', 'pub_a.pem'], { cwd: dir, stdio: 'ignore' });
});

describe('two-phase signing', () => {
  test('pkg generate --signing-request, openssl (DER, hex), pkg sign --signatures: the package verifies, with the init commands of pkg generate', async () => {
    const gen = cli([...APP, '--public-key', 'pub_b.pem', '--signing-request', 'req.json', 'unsigned.zip']);
    expect(gen).toMatchObject({ status: 0, stderr: '', stdout: 'Zip created at unsigned.zip (unsigned)\nSigning request for 1 item written to req.json\n' });
    const req = request('req.json');
    const pub = execFileSync('openssl', ['ec', '-pubin', '-in', 'pub_b.pem', '-text', '-noout'], { cwd: dir, encoding: 'utf8' });
    const pubHex = pub.split('pub:')[1].split('ASN1')[0].replace(/[\s:]/g, '').slice(2); // drop the 04 prefix
    expect(req).toMatchObject({ format: 'nrfutil-ts-signing-request/1', package: sha256Hex('unsigned.zip'), publicKey: pubHex });
    expect(req.items.map((i) => i.id)).toEqual(['app_nrf52.dat#init']);
    const unsigned = await readDfuPackage(fs.readFileSync(at('unsigned.zip')), 'unsigned.zip');
    expect(req.items[0].message).toBe(Buffer.from(unsigned.images[0].packet.initBytes).toString('hex'));
    expect(req.items[0].sha256).toBe(require('node:crypto').createHash('sha256').update(Buffer.from(req.items[0].message, 'hex')).digest('hex'));

    writeSigs('sigs.json', opensslSignatures(req, 'key_b.pem', 'hex'));
    const ins = cli(['pkg', 'sign', 'unsigned.zip', '--signatures', 'sigs.json', '--public-key', 'pub_b.pem', 'signed.zip']);
    expect(ins).toMatchObject({ status: 0, stderr: '', stdout: 'Zip created at signed.zip\n' });
    expect(cli(['pkg', 'verify', 'signed.zip', '--key-file', 'pub_b.pem']).status).toBe(0);
    expect(cli(['pkg', 'verify', 'signed.zip', '--key-file', 'pub_a.pem']).status).toBe(1);
    expect(cli([...APP, '--key-file', 'key_b.pem', 'direct.zip']).status).toBe(0);
    const direct = await readDfuPackage(fs.readFileSync(at('direct.zip')), 'direct.zip');
    const twoPhase = await readDfuPackage(fs.readFileSync(at('signed.zip')), 'signed.zip');
    expect(twoPhase.images.map((i) => i.packet.initBytes)).toEqual(direct.images.map((i) => i.packet.initBytes));
    expect([...twoPhase.files.keys()].sort()).toEqual([...direct.files.keys()].sort());
  });

  test('ECDSA boot validations take two rounds; node:crypto raw r‖s (base64); the result verifies', () => {
    expect(cli([...SD_BL_APP, '--key-file', 'key_b.pem', '--signing-request', 'r1.json', 'round0.zip']).status).toBe(0);
    const r1 = request('r1.json');
    expect(r1.items.map((i) => i.id)).toEqual(['sd_bl.dat#boot-validation-0', 'app_nrf52.dat#boot-validation-0']);
    writeSigs('s1.json', rawSignatures(r1, 'key_b.pem', 'base64'));
    const first = cli(['pkg', 'sign', 'round0.zip', '--signatures', 's1.json', '--public-key', 'pub_b.pem', '--signing-request', 'r2.json', 'round1.zip']);
    expect(first).toMatchObject({ status: 0, stderr: '' });
    const r2 = request('r2.json');
    expect(r2.package).toBe(sha256Hex('round1.zip'));
    expect(r2.items.map((i) => i.id)).toEqual(['sd_bl.dat#init', 'app_nrf52.dat#init']);
    writeSigs('s2.json', rawSignatures(r2, 'key_b.pem', 'hex'));
    expect(cli(['pkg', 'sign', 'round1.zip', '--signatures', 's2.json', '--public-key', 'pub_b.pem', 'final.zip']).status).toBe(0);
    expect(cli(['pkg', 'verify', 'final.zip', '--key-file', 'pub_b.pem'])).toMatchObject({ status: 0 });
    expect(cli(['pkg', 'verify', 'final.zip', '--key-file', 'pub_a.pem']).status).toBe(1);
  });

  test('pkg sign IN --signing-request starts a package signed by another key over; openssl base64 DER', () => {
    expect(cli([...SD_BL_APP, '--key-file', 'key_a.pem', 'by_a.zip']).status).toBe(0);
    const res = cli(['pkg', 'sign', 'by_a.zip', '--signing-request', 'ra.json', 'ra0.zip']);
    expect(res.stdout).toMatch(/^Bootloader key \(sd_bl\.bin\): none found\nZip created at ra0\.zip \(unsigned\)\nSigning request for 2 items written to ra\.json\n/);
    expect(request('ra.json').publicKey).toBeNull();
    writeSigs('sa1.json', opensslSignatures(request('ra.json'), 'key_b.pem', 'base64'));
    expect(cli(['pkg', 'sign', 'ra0.zip', '--signatures', 'sa1.json', '--public-key', 'pub_b.pem', 'ra1.zip']).stdout).toMatch(/boot validations signed, init packets not yet/);
    expect(cli(['pkg', 'sign', 'ra1.zip', '--signing-request', 'rb.json', 'ra2.zip']).status).toBe(0);
    writeSigs('sa2.json', opensslSignatures(request('rb.json'), 'key_b.pem', 'hex'));
    expect(cli(['pkg', 'sign', 'ra2.zip', '--signatures', 'sa2.json', '--public-key', 'pub_b.pem', 'ra3.zip']).status).toBe(0);
    expect(cli(['pkg', 'verify', 'ra3.zip', '--key-file', 'pub_b.pem']).status).toBe(0);
  });
});

describe('two-phase signing: every bad signature names its item and writes nothing', () => {
  let good: Record<string, string>;
  let other: Record<string, string>;
  beforeAll(() => {
    expect(cli([...SD_BL_APP, '--signing-request', 'bad-req.json', 'bad0.zip']).status).toBe(0);
    good = rawSignatures(request('bad-req.json'), 'key_b.pem', 'hex');
    other = rawSignatures(request('bad-req.json'), 'key_a.pem', 'hex');
  });
  const APP_BV = 'app_nrf52.dat#boot-validation-0';
  const SD_BV = 'sd_bl.dat#boot-validation-0';

  test.each([
    ['missing', () => ({ [SD_BV]: good[SD_BV] }), `Error: sigs-missing.json: no signature for '${APP_BV}'\n`],
    ['extra', () => ({ ...good, 'app_nrf52.dat#init': good[SD_BV] }), `Error: sigs-extra.json: a signature for 'app_nrf52.dat#init', which the package does not ask for (it asks for ${SD_BV}, ${APP_BV})\n`],
    ['malformed', () => ({ ...good, [APP_BV]: 'MEUCIQ' }), `Error: sigs-malformed.json: the signature for '${APP_BV}' is malformed; give DER or 64-byte r‖s, as hex or base64\n`],
    ['not a string', () => ({ ...good, [APP_BV]: 42 }), `Error: sigs-not a string.json: the signature for '${APP_BV}' is malformed; give DER or 64-byte r‖s, as hex or base64\n`],
    ['wrong key', () => ({ ...good, [APP_BV]: other[APP_BV] }), `Error: sigs-wrong key.json: the signature for '${APP_BV}' does not verify with pub_b.pem over the item's message (another key, or other bytes signed?)\n`],
    ['swapped items', () => ({ [SD_BV]: good[APP_BV], [APP_BV]: good[SD_BV] }), `Error: sigs-swapped items.json: the signature for '${SD_BV}' does not verify with pub_b.pem over the item's message (another key, or other bytes signed?)\n`],
  ])('%s', (name, signatures, stderr) => {
    writeSigs(`sigs-${name}.json`, signatures());
    const res = cli(['pkg', 'sign', 'bad0.zip', '--signatures', `sigs-${name}.json`, '--public-key', 'pub_b.pem', '--signing-request', 'never.json', 'never.zip']);
    expect(res).toMatchObject({ status: 1, stdout: '', stderr });
    expect(fs.existsSync(at('never.zip')) || fs.existsSync(at('never.json'))).toBe(false);
  });

  test.each([
    [['--signatures', 'sigs-missing.json', 'never.zip'], 'Error: --signatures needs --public-key FILE: the public key of the key that made the signatures\n'],
    [['--signatures', 'nope.json', '--public-key', 'pub_b.pem', 'never.zip'], "Error: Invalid value for '--signatures': File 'nope.json' does not exist or cannot be read.\n"],
    [['--public-key', 'pub_b.pem', 'never.zip'], '--public-key is for two-phase signing (--signing-request or --signatures); to sign here, name the private key with --key-file or --key-dir'],
  ])('usage error %j', (args, stderr) => {
    const res = cli(['pkg', 'sign', 'bad0.zip', ...args]);
    expect(res.status).toBe(2);
    expect(res.stderr).toContain(stderr.trim());
    expect(fs.existsSync(at('never.zip'))).toBe(false);
  });

  test('SIGS.json that is not the expected shape', () => {
    fs.writeFileSync(at('shape.json'), '{"sigs": {}}');
    const res = cli(['pkg', 'sign', 'bad0.zip', '--signatures', 'shape.json', '--public-key', 'pub_b.pem', 'never.zip']);
    expect(res).toMatchObject({ status: 1, stderr: 'Error: shape.json: expected {"signatures": {"<item id>": "<signature>", ...}}\n' });
  });

  test('parseSignature: DER and raw, hex and base64, the same r‖s', () => {
    // r has its top bit set, so DER gives it a leading 00
    const der = Buffer.from('3045022100' + '80' + '01'.repeat(31) + '0220' + '11'.repeat(32), 'hex');
    const raw = Buffer.from('80' + '01'.repeat(31) + '11'.repeat(32), 'hex');
    for (const form of [der.toString('hex'), der.toString('base64'), raw.toString('hex'), raw.toString('base64')]) expect(Buffer.from(parseSignature(form)!)).toEqual(raw);
    expect(parseSignature('3045')).toBeUndefined();
    expect(parseSignature('zz')).toBeUndefined();
  });
});

describe('README: the two-phase round trip with openssl, run as written', () => {
  test('the shell example signs with openssl dgst -sha256 -sign and the package verifies', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    const section = readme.split('### Two-phase signing')[1];
    const script = section.split('```sh\n')[1].split('```')[0];
    const work = tempDirWith('app_nrf52.hex');
    fs.renameSync(path.join(work, 'app_nrf52.hex'), path.join(work, 'app.hex'));
    expect(runCli(['keys', 'generate', 'private.pem'], { cwd: work }).status).toBe(0);
    execFileSync('openssl', ['ec', '-in', 'private.pem', '-pubout', '-out', 'pub.pem'], { cwd: work, stdio: 'ignore' });
    const bin = path.join(__dirname, '..', 'bin', 'run.js');
    execFileSync('bash', ['-euo', 'pipefail', '-c', `nrfutil() { "${process.execPath}" "${bin}" "$@"; }\n${script}`], { cwd: work, stdio: 'pipe' });
    expect(runCli(['pkg', 'verify', 'app_dfu.zip', '--key-file', 'pub.pem'], { cwd: work }).status).toBe(0);
  });
});

describe('two-phase signing in the library (nrfutil-ts/core)', () => {
  test('createSigningRequest, a remote signer (raw r‖s), applySignatures in two rounds; verifyPackage accepts it', async () => {
    const core = await import('../src/core/index');
    const keyPem = fs.readFileSync(at('key_b.pem'), 'utf8');
    const remote = (message: string) => sign('sha256', Buffer.from(message, 'hex'), { key: createPrivateKey(keyPem), dsaEncoding: 'ieee-p1363' }).toString('base64');
    expect(cli([...SD_BL_APP, '--key-file', 'key_a.pem', 'lib_a.zip']).status).toBe(0);
    const { zip, request } = await core.createSigningRequest(fs.readFileSync(at('lib_a.zip')), core.pemKey(keyPem));
    expect(request.items.map((i) => i.id)).toEqual(['sd_bl.dat#boot-validation-0', 'app_nrf52.dat#boot-validation-0']);
    const first = await core.applySignatures(zip, Object.fromEntries(request.items.map((i) => [i.id, remote(i.message)])), core.pemKey(keyPem));
    expect(first.complete).toBe(false);
    const second = await core.applySignatures(first.zip, Object.fromEntries(first.request!.items.map((i) => [i.id, remote(i.message)])), core.pemKey(keyPem));
    expect(second.complete).toBe(true);
    expect((await core.verifyPackage(second.zip, core.pemKey(keyPem))).ok).toBe(true);
    await expect(core.applySignatures(zip, {}, core.pemKey(keyPem))).rejects.toThrow("signatures: no signature for 'sd_bl.dat#boot-validation-0'");
  });
});
