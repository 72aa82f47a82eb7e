import * as Flags from '@oclif/core/flags';
import { NrfCommand } from '../../cli/baseCommand';
import { intFlag } from '../../cli/intFlag';
import { keyFlags, keyReference, providerContext } from '../../cli/keyOptions';
import { NrfutilError, UsageError } from '../../core/errors';
import type { ImageVerdict } from '../../core/dfu/simulatedBootloader';
import { parseUint32 } from '../../core/integers';
import { openKeyProvider } from '../../plugins/registry';
import { startSimulator } from '../../dfu/simulator';

const LAST_REPLY_GRACE_MS = 500;

function verdictLine(v: ImageVerdict): string {
  const what = `${v.type} (${v.size} bytes)`;
  return v.verdict === 'accept' ? `${what}: accepted\n` : `${what}: rejected: ${v.reason}\n`;
}

export default class DfuSimulate extends NrfCommand {
  // Ctrl-C or SIGTERM is how a simulator is stopped: it closes its pty and exits 0.
  static override handlesSignals = true;
  static override summary = 'Play an nRF5 SDK secure serial DFU bootloader on a pseudo-terminal, to test updates without hardware.';
  static override description = [
    'Opens a pseudo-terminal and prints its path (first line of output), then answers serial DFU as the bootloader does:',
    'MTU, PRN, SELECT/CREATE/WRITE/CALC_CHECKSUM/EXECUTE, and on EXECUTE the bootloader checks (init packet within the',
    "decoder's limits, signature with the device key, hw_version, sd_req, firmware version unless debug, image SHA-256),",
    "with the SDK's result and extended error codes. Logs each image's verdict. Runs until interrupted, or until --images",
    'verdicts; exits 1 if any image was rejected. Needs python3 for the pseudo-terminal.',
  ].join(' ');
  static override aliases = ['nrf5sdk-tools:dfu:simulate'];
  static override examples = [
    '<%= config.bin %> dfu simulate --key-file public.pem --link /tmp/ttyDFU &',
    '<%= config.bin %> dfu simulate --key-dir keys --device dev-0042 --hw-version 52 --sd-id 0x100 --images 2 --json',
  ];
  static override flags = {
    ...keyFlags,
    'hw-version': intFlag('Hardware version of the device', false),
    'sd-id': intFlag('FWID of the SoftDevice the device runs (sd_req must list it), 0 for none; default 0xCA', false),
    'fw-version': intFlag('Current application version (lower versions are refused); default 0', false),
    'bl-version': intFlag('Current bootloader version (lower versions are refused); default 0', false),
    link: Flags.string({ description: 'Also make this path a symlink to the pseudo-terminal (removed on exit)' }),
    images: Flags.integer({ description: 'Exit after this many image verdicts (0: run until interrupted)', default: 0, min: 0 }),
    json: Flags.boolean({ description: 'Print the port and each verdict as a JSON line' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(DfuSimulate);
    const ref = keyReference(flags);
    if (!ref) throw new UsageError('dfu simulate needs the public key the device trusts: --key-file FILE|pkcs11:URI, or --key-dir DIR --device ID');
    const key = await openKeyProvider(ref, providerContext());
    let publicKey: Uint8Array;
    try {
      publicKey = await key.publicKey();
    } finally {
      await key.close?.();
    }
    const int = (name: 'hw-version' | 'sd-id' | 'fw-version' | 'bl-version', fallback: number) =>
      flags[name] === undefined ? fallback : (parseUint32(flags[name]!, `--${name}`) ?? fallback);
    const device = { publicKey, hwVersion: int('hw-version', 52), sdId: int('sd-id', 0xca), appVersion: int('fw-version', 0), blVersion: int('bl-version', 0) };

    let rejected = 0;
    let seen = 0;
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    process.once('SIGINT', () => finish());
    process.once('SIGTERM', () => finish());
    const sim = await startSimulator(device, flags.link, (v) => {
      seen++;
      if (v.verdict === 'reject') rejected++;
      this.print(flags.json ? JSON.stringify({ event: 'image', ...v }) + '\n' : verdictLine(v));
      // Let the host read the reply to its last EXECUTE before the pty goes away.
      if (flags.images > 0 && seen >= flags.images) setTimeout(finish, LAST_REPLY_GRACE_MS);
    });
    this.print(flags.json ? JSON.stringify({ event: 'ready', port: sim.path, link: flags.link ?? null, key: key.label }) + '\n' : `${sim.path}\n`);
    let stopping = false;
    const relayDied = sim.closed.then(() => {
      if (!stopping) throw new NrfutilError(`The pseudo-terminal relay (python3) for ${sim.path} ended unexpectedly`);
    });
    await Promise.race([finished, relayDied]);
    stopping = true;
    sim.stop();
    process.exitCode = rejected > 0 ? 1 : 0;
  }
}
