import * as Flags from '@oclif/core/flags';
import { UsageError } from '../core/errors';

/** nrfutil's multi-letter short options (click allows them, oclif does not): rewritten to the long ones. */
const NRFUTIL_SPELLINGS: Record<string, string> = {
  '-pkg': '--package',
  '-prn': '--packet-receipt-notification',
  '-cd': '--connect-delay',
  '-fc': '--flow-control',
  '-snr': '--serial-number',
};

export function expandNrfutilOptions(argv: string[]): string[] {
  return argv.map((a) => NRFUTIL_SPELLINGS[a] ?? a);
}

/** click.BOOL's spellings. */
export function parseBool(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (['1', 'true', 't', 'yes', 'y', 'on'].includes(v)) return true;
  if (['0', 'false', 'f', 'no', 'n', 'off'].includes(v)) return false;
  throw new UsageError(`Invalid value for '-fc' / '--flow-control': ${value} is not a valid boolean (use 1 or 0)`);
}

/** The options of nrfutil 6.1.7's `dfu serial` and `dfu usb-serial`, with its defaults. */
export const dfuSerialFlags = {
  package: Flags.string({ description: 'Filename of the DFU package (nrfutil spelling: -pkg)', required: true }),
  port: Flags.string({ char: 'p', description: 'Serial port the device is connected to (e.g. COM1, /dev/ttyACM0, or a pty path)' }),
  'connect-delay': Flags.integer({ description: 'Delay in seconds before each connection to the target (-cd)', default: 3, min: 0 }),
  'flow-control': Flags.string({ description: 'Hardware flow control (RTS/CTS): 1 or 0 (-fc)', default: '1' }),
  'packet-receipt-notification': Flags.integer({ description: 'Packet receipt notification: a checksum every N writes, 0 for none (-prn)', default: 0, min: 0, max: 65535 }),
  'baud-rate': Flags.integer({ char: 'b', description: 'Baud rate', default: 115200, min: 1 }),
  'serial-number': Flags.string({ description: 'USB serial number of the device; ignored if --port is set (-snr)' }),
  timeout: Flags.integer({ char: 't', description: 'Seconds to wait for the device to answer', default: 30, min: 1 }),
  force: Flags.boolean({ description: 'Send the package even if the checks the bootloader makes (limits, types, sizes, hashes) say it would reject it' }),
};
