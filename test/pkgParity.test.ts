// Differences from nrfutil 6.1.7 found by running both side by side (issue 10), one
// test per class, with nrfutil's output as the expected text.
import fs from 'node:fs';
import path from 'node:path';
import { decodeInitPacket, encodeInitPacket, FwType, HashType, InitCommand, ValidationType } from '../src/core/initPacket';
import { packageDisplayText } from '../src/core/packageDisplay';
import { readPackageZip, writePackageZip } from '../src/core/packageZip';
import { packageBinName, loadFirmwareImage } from '../src/core/firmwareImage';
import { runCli, tempDirWith } from './helpers/cli';

const init = (over: Partial<InitCommand> = {}): InitCommand => ({
  fwVersion: 1,
  hwVersion: 52,
  sdReq: [0x00, 0x01, 0xca],
  type: FwType.APPLICATION,
  sdSize: 0,
  blSize: 0,
  appSize: 4,
  hashType: HashType.SHA256,
  hash: Uint8Array.of(0xab),
  isDebug: false,
  bootValidation: [{ type: ValidationType.VALIDATE_GENERATED_CRC, bytes: new Uint8Array() }],
  ...over,
});

const display = (command: InitCommand) =>
  packageDisplayText('p.zip', [{ kind: 'application', binFile: 'a.bin', datFile: 'a.dat', packet: decodeInitPacket(encodeInitPacket(command), 'a.dat') }]);

/** Init packet with the given op_code, hand-encoded (we only ever write INIT). */
function packetWithOpCode(opCode: number | undefined): Uint8Array {
  const packet = encodeInitPacket(init());
  // Packet{1: Command{1: op_code = 1, 2: init}}: bytes 0a LEN 08 01 12 ...
  expect(Array.from(packet.subarray(2, 4))).toEqual([0x08, 0x01]);
  if (opCode === undefined) return Uint8Array.of(0x0a, packet[1] - 2, ...packet.subarray(4));
  return Uint8Array.of(...packet.subarray(0, 3), opCode, ...packet.subarray(4));
}

describe('pkg display prints what nrfutil prints', () => {
  test('sd_req values have at least two hex digits (0x{:02X})', () => {
    expect(display(init())).toContain('      |- sd_req: 0x00, 0x01, 0xCA\n');
  });

  test('hash_type 0 is NONE (nrfutil\'s enum name, not the .proto\'s NO_HASH)', () => {
    expect(display(init({ hashType: HashType.NO_HASH }))).toContain('      |- hash_type: NONE\n');
  });

  test('enum numbers unknown to the schema read as the field default', () => {
    const text = display(init({ type: 9 as never, hashType: 7, bootValidation: [{ type: 9 as never, bytes: new Uint8Array() }] }));
    expect(text).toContain('      |- type: APPLICATION\n');
    expect(text).toContain('      |- hash_type: NONE\n');
    expect(text).toContain("      |- boot_validation_type: ['NO_VALIDATION']\n");
  });

  test.each([
    ['op_code RESET', () => packetWithOpCode(0), /op_code is RESET, not INIT/],
    ['no op_code', () => packetWithOpCode(undefined), /op_code is RESET, not INIT/],
    ['app_size 0', () => encodeInitPacket(init({ appSize: 0 })), /app_size is not set/],
    ['sd_size 0 for a SoftDevice', () => encodeInitPacket(init({ type: FwType.SOFTDEVICE, appSize: 0, blSize: 4 })), /sd_size is not set/],
    ['bl_size 0 for a bootloader', () => encodeInitPacket(init({ type: FwType.BOOTLOADER, sdSize: 4 })), /bl_size is not set/],
    ['bl_size 0 for sd_bl', () => encodeInitPacket(init({ type: FwType.SOFTDEVICE_BOOTLOADER, sdSize: 4 })), /Both must be set/],
    ['unknown type read as APPLICATION with app_size 0', () => encodeInitPacket(init({ type: 7 as never, appSize: 0, sdSize: 4 })), /app_size is not set/],
  ])('an init packet with %s is refused: exit 1, one line', async (_name, dat, message) => {
    const dir = tempDirWith();
    const files = new Map([['a.bin', new Uint8Array(4)], ['a.dat', dat()], ['manifest.json', new TextEncoder().encode('{"manifest": {"application": {"bin_file": "a.bin", "dat_file": "a.dat"}}}')]]);
    fs.writeFileSync(path.join(dir, 'p.zip'), await writePackageZip(files));
    const res = runCli(['pkg', 'display', 'p.zip'], { cwd: dir });
    expect(res.status).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(message);
  });

  test('a package whose manifest lists no images shows Image count: 0 (nrfutil writes such packages)', () => {
    const dir = tempDirWith();
    const made = runCli(['pkg', 'generate', '--hw-version', '52', '--sd-req', '1', 'o.zip'], { cwd: dir });
    expect(made.status).toBe(0);
    const res = runCli(['pkg', 'display', 'o.zip'], { cwd: dir });
    expect(res).toMatchObject({ status: 0, stdout: '\nDFU Package: <o.zip>:\n|\n|- Image count: 0\n\n' });
  });
});

async function generate(args: string[], files: string[] = ['app_nrf52.hex']) {
  const dir = tempDirWith(...files);
  const res = runCli(['pkg', 'generate', ...args], { cwd: dir });
  return { dir, res };
}

async function shown(dir: string, zip = 'o.zip') {
  return runCli(['pkg', 'display', zip], { cwd: dir }).stdout;
}

describe('pkg generate follows nrfutil', () => {
  const app = ['--hw-version', '52', '--application', 'app_nrf52.hex', '--application-version', '1'];

  test('--sd-id without --softdevice: the application gets the --sd-id list', async () => {
    const { dir, res } = await generate([...app, '--sd-req', '0xCA', '--sd-id', '0x100', 'o.zip']);
    expect(res.status).toBe(0);
    expect(await shown(dir)).toContain('|- sd_req: 0x100\n');
  });

  test('sd_req order when --sd-id has more than 4x as many ids: CPython copies then discards', async () => {
    const { dir, res } = await generate(['--hw-version', '52', '--sd-req', '8', '--sd-id', '16,2,32,256,8,128,24,1', '--bootloader', 'bl_nrf52.hex', '--bootloader-version', '1', 'o.zip'], ['bl_nrf52.hex']);
    expect(res.status).toBe(0);
    expect(await shown(dir)).toContain('|- sd_req: 0x100, 0x20, 0x02, 0x80, 0x01, 0x08, 0x10, 0x18\n');
  });

  test('--external-app without --application is a usage error and writes nothing', async () => {
    const { dir, res } = await generate(['--hw-version', '52', '--sd-req', '0', '--external-app', 'o.zip']);
    expect(res).toMatchObject({ status: 2, stderr: 'Error: --external-app requires an application.\n' });
    expect(fs.existsSync(path.join(dir, 'o.zip'))).toBe(false);
  });

  test('a boot validation for an image that is not in the package is ignored', async () => {
    const { dir, res } = await generate([...app, '--sd-req', '0xCA', '--sd-boot-validation', 'VALIDATE_ECDSA_P256_SHA256', 'o.zip']);
    expect(res.status).toBe(0);
    const bl = await generate(['--hw-version', '52', '--sd-req', '0xCA', '--bootloader', 'bl_nrf52.hex', '--bootloader-version', '1', '--app-boot-validation', 'VALIDATE_GENERATED_SHA256', 'o.zip'], ['bl_nrf52.hex']);
    expect(bl.res.status).toBe(0);
    expect(await shown(dir)).toContain("boot_validation_type: ['VALIDATE_GENERATED_CRC']");
  });

  test('the both-versions warning follows Python truth: not for --application-version 0, yes for none', async () => {
    const warning = 'Warning: When both application-version-string and application-version are provided';
    const zero = await generate(['--hw-version', '52', '--sd-req', '0xCA', '--application', 'app_nrf52.hex', '--application-version', '0', '--application-version-string', '1.2.3', 'o.zip']);
    expect(zero.res.status).toBe(0);
    expect(zero.res.stdout).not.toContain(warning);
    const none = await generate(['--hw-version', '52', '--sd-req', '0xCA', '--application', 'app_nrf52.hex', '--application-version', 'none', '--application-version-string', '1.2.3', 'o.zip']);
    expect(none.res.stdout).toContain(warning);
  });

  test('.bin is recognised case-sensitively; a backslash is part of a POSIX file name', () => {
    expect(() => loadFirmwareImage('APP.BIN', new Uint8Array([1, 2, 3, 4]))).toThrow(/not an Intel HEX record/);
    expect(loadFirmwareImage('app.bin', new Uint8Array([1, 2, 3])).bin).toEqual(Uint8Array.of(1, 2, 3, 0xff));
    expect(packageBinName('fw/a\\b.hex')).toBe('a\\b.bin');
  });

  test('a file named a\\b.hex gives members a\\b.bin and a\\b.dat', async () => {
    const dir = tempDirWith('app_nrf52.hex');
    fs.renameSync(path.join(dir, 'app_nrf52.hex'), path.join(dir, 'a\\b.hex'));
    const res = runCli(['pkg', 'generate', '--hw-version', '52', '--sd-req', '0', '--application', 'a\\b.hex', '--application-version', '1', 'o.zip'], { cwd: dir });
    expect(res.status).toBe(0);
    const members = await readPackageZip(fs.readFileSync(path.join(dir, 'o.zip')), 'o.zip');
    expect([...members.keys()].sort()).toEqual(['a\\b.bin', 'a\\b.dat', 'manifest.json']);
  });

  test('--sd-req none means not given; NONE or a none element is not an integer', async () => {
    expect((await generate([...app, '--sd-req', 'none', 'o.zip'])).res).toMatchObject({ status: 2, stderr: 'Error: --sd-req required.\n' });
    expect((await generate([...app, '--sd-req', 'NONE', 'o.zip'])).res).toMatchObject({ status: 1, stderr: "Error: Invalid value for '--sd-req': NONE is not a valid integer\n" });
    expect((await generate([...app, '--sd-req', '0xCA,none', 'o.zip'])).res).toMatchObject({ status: 1, stderr: "Error: Invalid value for '--sd-req': none is not a valid integer\n" });
    const sdIdNone = await generate([...app, '--sd-req', '0xCA', '--sd-id', 'none', 'o.zip']);
    expect(sdIdNone.res.status).toBe(0);
    expect(await shown(sdIdNone.dir)).toContain('|- sd_req: 0xCA\n');
  });
});
