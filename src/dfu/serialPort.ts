import { SerialPort } from 'serialport';
import { NrfutilError } from '../core/errors';
import type { DfuPort } from '../core/dfu/transfer';

export interface SerialSettings {
  baudRate: number;
  flowControl: boolean;
}

/** A port that could not be opened because it is not there (yet). */
export class PortMissingError extends NrfutilError {}

/** Why an open failed, in words a user can act on. */
function openError(path: string, err: Error): NrfutilError {
  const m = err.message;
  if (/no such file|ENOENT/i.test(m))
    return new PortMissingError(`Serial port ${path} does not exist; check -p/--port (is the device plugged in and in its DFU bootloader?)`);
  if (/busy|lock|EBUSY/i.test(m)) return new NrfutilError(`Serial port ${path} is busy: another program holds it open exclusively; close it and retry`);
  if (/permission|EACCES/i.test(m)) return new NrfutilError(`No permission to open serial port ${path}; add your user to its group (e.g. dialout) or fix its udev rule`);
  return new NrfutilError(`Serial port ${path} could not be opened: ${m.replace(/^Error:\s*/, '')}`);
}

/**
 * Opens a serial port (a pseudo-terminal path works too) as a DfuPort. Not locked
 * (TIOCEXCL), as pyserial does not lock it for nrfutil either: a port held exclusively by
 * another program still fails with "busy".
 */
export function openSerialPort(path: string, settings: SerialSettings): Promise<DfuPort> {
  const port = new SerialPort({ path, baudRate: settings.baudRate, rtscts: settings.flowControl, autoOpen: false, lock: false });
  const chunks: Uint8Array[] = [];
  let waiting: ((chunk: Uint8Array | undefined) => void) | undefined;
  let failure: Error | undefined;
  port.on('data', (data: Buffer) => {
    if (waiting) {
      const w = waiting;
      waiting = undefined;
      w(data);
    } else chunks.push(data);
  });
  port.on('error', (err: Error) => {
    failure = err;
    waiting?.(undefined);
  });
  const dfuPort: DfuPort = {
    write(bytes) {
      return new Promise((resolve, reject) => {
        port.write(Buffer.from(bytes), (err) => {
          if (err) return reject(new NrfutilError(`Writing to serial port ${path} failed: ${err.message}`));
          port.drain((e) => (e ? reject(new NrfutilError(`Writing to serial port ${path} failed: ${e.message}`)) : resolve()));
        });
      });
    },
    read(timeoutMs) {
      if (chunks.length > 0) return Promise.resolve(chunks.shift());
      if (failure) return Promise.reject(new NrfutilError(`Reading from serial port ${path} failed: ${failure.message}`));
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiting = undefined;
          resolve(undefined);
        }, timeoutMs);
        waiting = (chunk) => {
          clearTimeout(timer);
          resolve(chunk);
        };
      });
    },
    close() {
      return new Promise((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve()));
    },
  };
  return new Promise((resolve, reject) => port.open((err) => (err ? reject(openError(path, err)) : resolve(dfuPort))));
}

/** The port of the device with this USB serial number (nrfutil's -snr), leading zeros ignored. */
export async function portBySerialNumber(serialNumber: string): Promise<string> {
  const want = serialNumber.replace(/^0+/, '').toLowerCase();
  const ports = await SerialPort.list();
  const match = ports.find((p) => (p.serialNumber ?? '').replace(/^0+/, '').toLowerCase() === want);
  if (!match) throw new NrfutilError(`No serial port belongs to a device with serial number ${serialNumber}; give the port with -p/--port`);
  return match.path;
}
