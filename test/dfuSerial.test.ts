import fs from 'node:fs';
import path from 'node:path';
import { readPackageZip, writePackageZip } from '../src/core/packageZip';
import { SimulatedBootloader } from '../src/core/dfu/simulatedBootloader';
import { Op } from '../src/core/dfu/protocol';
import { SlipDecoder } from '../src/core/dfu/slip';
import { openPty } from '../src/dfu/pty';
import { openPemFile } from '../src/plugins/pemFile';
import { INPUTS } from './helpers/cli';
import { runCliAsync, startSimulate, tempDir } from './helpers/dfuCli';
import { DFU_CORPUS } from './helpers/dfuSessions';

const KEY_A = path.join(INPUTS, 'key_a.pem');
const OTHER_KEY = path.join(INPUTS, 'debug_key.pem');
const pkg = (name: string) => path.join(DFU_CORPUS, 'packages', name);

async function update(simArgs: string[], serialArgs: string[]) {
  const sim = await startSimulate(simArgs);
  let result;
  try {
    result = await runCliAsync(['dfu', 'serial', ...serialArgs, '-p', sim.port, '-cd', '0', '-t', '5']);
  } finally {
    await sim.stop();
  }
  return { result, events: sim.events().slice(1), simulatorExit: await sim.exited };
}

/** The package with one byte of its application image changed, init packet untouched. */
async function tamperedApp(): Promise<string> {
  const files = await readPackageZip(fs.readFileSync(pkg('app.zip')), 'app.zip');
  const binName = [...files.keys()].find((n) => n.endsWith('.bin'))!;
  const bin = Uint8Array.from(files.get(binName)!);
  bin[100] ^= 0x01;
  files.set(binName, bin);
  const out = path.join(tempDir(), 'tampered.zip');
  fs.writeFileSync(out, await writePackageZip(files));
  return out;
}

describe('dfu serial against dfu simulate, through a real pseudo-terminal', () => {
  it.each([
    ['an application', 'app.zip', '0', ['APPLICATION']],
    ['an application with PRN 3', 'app.zip', '3', ['APPLICATION']],
    ['a SoftDevice+bootloader', 'sdbl.zip', '0', ['SOFTDEVICE_BOOTLOADER']],
    ['a SoftDevice+bootloader+application with PRN 3', 'sdblapp.zip', '3', ['SOFTDEVICE_BOOTLOADER', 'APPLICATION']],
    ['a SoftDevice+bootloader+application with PRN 0', 'sdblapp.zip', '0', ['SOFTDEVICE_BOOTLOADER', 'APPLICATION']],
  ])('updates %s', async (_what, zip, prn, types) => {
    const { result, events, simulatorExit } = await update(['--key-file', KEY_A], ['-pkg', pkg(zip), '-prn', prn]);
    expect(simulatorExit).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('Device programmed.\n');
    expect(result.status).toBe(0);
    expect(events.map((e) => [e.type, e.verdict])).toEqual(types.map((t) => [t, 'accept']));
  });

  it('updates over usb-serial (no PING) and with the nrf5sdk-tools spelling', async () => {
    const sim = await startSimulate(['--key-file', KEY_A]);
    try {
      const usb = await runCliAsync(['dfu', 'usb-serial', '-pkg', pkg('app.zip'), '-p', sim.port, '-cd', '0']);
      expect([usb.status, usb.stdout]).toEqual([0, 'Device programmed.\n']);
      const alias = await runCliAsync(['nrf5sdk-tools', 'dfu', 'serial', '--package', pkg('app.zip'), '--port', sim.port, '--connect-delay', '0', '--flow-control', '0']);
      expect([alias.status, alias.stdout]).toEqual([0, 'Device programmed.\n']);
      expect(sim.events().slice(1).map((e) => e.verdict)).toEqual(['accept', 'accept']);
    } finally {
      await sim.stop();
    }
  });

  it('plays a device of a fleet with its own key (--key-dir DIR --device ID)', async () => {
    const keys = tempDir();
    fs.copyFileSync(KEY_A, path.join(keys, 'dev-0042.pem'));
    fs.copyFileSync(OTHER_KEY, path.join(keys, 'dev-0043.pem'));
    const own = await update(['--key-dir', keys, '--device', 'dev-0042'], ['-pkg', pkg('app.zip')]);
    expect([own.result.status, own.events.map((e) => e.verdict)]).toEqual([0, ['accept']]);
    const other = await update(['--key-dir', keys, '--device', 'dev-0043'], ['-pkg', pkg('app.zip')]);
    expect([other.result.status, other.events.map((e) => e.verdict)]).toEqual([1, ['reject']]);
  });

  it('dfu simulate without a key is a usage error', async () => {
    const result = await runCliAsync(['dfu', 'simulate']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^Error: dfu simulate needs the public key the device trusts/);
  });

  it('refuses a tampered image before sending it, and with --force the device rejects it: hash mismatch', async () => {
    const zip = await tamperedApp();
    const refused = await update(['--key-file', KEY_A], ['-pkg', zip]);
    expect(refused.result.status).toBe(1);
    expect(refused.result.stderr).toMatch(/^Error: .*tampered\.zip: the bootloader would reject this package: .*does not match the SHA-256.*--force/);
    expect(refused.events).toEqual([]);

    const forced = await update(['--key-file', KEY_A], ['-pkg', zip, '--force']);
    expect(forced.result.status).toBe(1);
    expect(forced.result.stdout).not.toContain('Device programmed.');
    expect(forced.result.stderr).toContain('the device rejected the application firmware: hash mismatch (extended error 0x0C VERIFICATION_FAILED)');
    expect(forced.result.stderr.trim().split('\n').filter((l) => l.startsWith('Error:'))).toHaveLength(1);
    expect(forced.events).toEqual([expect.objectContaining({ type: 'APPLICATION', verdict: 'reject', code: 'EXT_ERROR VERIFICATION_FAILED' })]);
  });

  it('a device with another key rejects the init packet: INVALID_OBJECT, non-zero exit', async () => {
    const { result, events, simulatorExit } = await update(['--key-file', OTHER_KEY], ['-pkg', pkg('sdblapp.zip')]);
    expect(result.status).toBe(1);
    expect(simulatorExit).toBe(1); // the simulator's exit status tells CI an image was rejected
    expect(result.stderr).toMatch(/^Error: .*: the device rejected the softdevice_bootloader init packet: invalid object .*\(result 0x05 INVALID_OBJECT\)\n$/);
    expect(events).toEqual([expect.objectContaining({ type: 'SOFTDEVICE_BOOTLOADER', verdict: 'reject', code: 'INVALID_OBJECT' })]);
  });

  it.each([
    [['--hw-version', '51'], 'hardware version mismatch (extended error 0x06 HW_VERSION_FAILURE)'],
    [['--sd-id', '0x100'], 'SoftDevice requirement not met'],
    [['--fw-version', '2'], 'firmware version too low (downgrade refused) (extended error 0x05 FW_VERSION_FAILURE)'],
  ])('a device that differs (%j) rejects the package with the SDK code', async (simArgs, words) => {
    const { result, events } = await update(['--key-file', KEY_A, ...simArgs], ['-pkg', pkg('app.zip')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(words);
    expect(events.map((e) => e.verdict)).toEqual(['reject']);
  });
});

describe('dfu serial when the port or the device fails', () => {
  it('names a port that does not exist, at once', async () => {
    const started = Date.now();
    const result = await runCliAsync(['dfu', 'serial', '-pkg', pkg('app.zip'), '-p', '/dev/does-not-exist-tty', '-cd', '0']);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('Error: Serial port /dev/does-not-exist-tty does not exist; check -p/--port (is the device plugged in and in its DFU bootloader?)\n');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('is a usage error without a port, or with a missing package', async () => {
    const noPort = await runCliAsync(['dfu', 'serial', '-pkg', pkg('app.zip')]);
    expect([noPort.status, noPort.stderr]).toEqual([2, 'Error: Please specify the serial port (-p/--port) or the serial number (-snr/--serial-number).\n']);
    const noPkg = await runCliAsync(['dfu', 'serial', '-pkg', 'nope.zip', '-p', '/dev/null']);
    expect([noPkg.status, noPkg.stderr]).toEqual([2, "Error: Invalid value for '-pkg' / '--package': File 'nope.zip' does not exist.\n"]);
  });

  it('times out naming the port when the target stops answering mid-image', async () => {
    const key = await (await openPemFile(KEY_A, { env: {}, config: {}, warn: () => {} })).publicKey();
    const target = new SimulatedBootloader({ publicKey: key, hwVersion: 52, sdId: 0xca, appVersion: 0, blVersion: 0 });
    const link = path.join(tempDir(), 'tty');
    const pty = await openPty(link);
    // Answers everything up to the first data object's CREATE, then goes silent.
    let silent = false;
    const watch = new SlipDecoder();
    pty.onData((bytes) => {
      for (const frame of watch.push(bytes)) if (frame[0] === Op.CREATE && frame[1] === 2) silent = true;
      const replies = target.receive(bytes);
      if (!silent) for (const r of replies) pty.write(r);
    });
    try {
      const result = await runCliAsync(['dfu', 'serial', '-pkg', pkg('app.zip'), '-p', link, '-cd', '0', '-t', '1']);
      expect(result.status).toBe(1);
      expect(result.stderr).toBe(
        `Error: ${link}: no answer within 1 s (expected the reply to CREATE while sending the application); is the device in its serial DFU bootloader?\n`,
      );
    } finally {
      pty.close();
    }
  });

  it('times out naming the port when nothing answers the PING', async () => {
    const link = path.join(tempDir(), 'tty');
    const pty = await openPty(link);
    try {
      const result = await runCliAsync(['dfu', 'serial', '-pkg', pkg('app.zip'), '-p', link, '-cd', '0', '-t', '1']);
      expect(result.status).toBe(1);
      expect(result.stderr).toBe(`Error: ${link}: no answer to PING within 1 s; is the device in its serial DFU bootloader?\n`);
    } finally {
      pty.close();
    }
  });
});
