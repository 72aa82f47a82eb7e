import fs from 'node:fs';
import { NrfutilError, UsageError } from '../core/errors';
import { imagesToSend } from '../core/dfu/packageImages';
import { DfuHost, DfuImage, DfuPort } from '../core/dfu/transfer';
import { readDfuPackage } from '../core/packageReader';
import { readPackageZip } from '../core/packageZip';
import { verifyPackageFiles } from '../core/packageVerify';
import { ProgressBar } from '../cli/progressBar';
import { log } from '../cli/globalOptions';
import { openSerialPort, PortMissingError, portBySerialNumber } from './serialPort';

export interface SerialUpdateOptions {
  packagePath: string;
  port?: string;
  serialNumber?: string;
  baudRate: number;
  flowControl: boolean;
  prn: number;
  connectDelaySeconds: number;
  timeoutSeconds: number;
  ping: boolean;
  force: boolean;
  /** Where "Device programmed." and the progress bars go. */
  out: NodeJS.WriteStream;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Reads the package and refuses one the bootloader would reject (unless forced). */
async function packageToSend(path: string, force: boolean): Promise<DfuImage[]> {
  if (!fs.existsSync(path) || !fs.statSync(path).isFile()) throw new UsageError(`Invalid value for '-pkg' / '--package': File '${path}' does not exist.`);
  const zip = fs.readFileSync(path);
  const verdict = verifyPackageFiles(await readPackageZip(zip, path), path);
  if (!verdict.accepted) {
    const reason = verdict.problems[0] ?? verdict.images.flatMap((i) => i.problems)[0];
    if (!force) throw new NrfutilError(`${path}: the bootloader would reject this package: ${reason} (nothing was sent; --force sends it anyway)`);
    process.stderr.write(`Warning: ${path}: the bootloader would reject this package: ${reason}; sending it anyway (--force)\n`);
  }
  return imagesToSend(await readDfuPackage(zip, path));
}

/**
 * Opens the port; after the first image the device may be re-enumerating (USB CDC
 * bootloaders reset between images), so a missing port is waited for up to the timeout.
 */
function portOpener(path: string, opts: SerialUpdateOptions): () => Promise<DfuPort> {
  let opened = 0;
  return async () => {
    const deadline = Date.now() + opts.timeoutSeconds * 1000;
    for (;;) {
      try {
        const port = await openSerialPort(path, { baudRate: opts.baudRate, flowControl: opts.flowControl });
        opened++;
        return port;
      } catch (e) {
        if (!(e instanceof PortMissingError) || opened === 0 || Date.now() > deadline) throw e;
        await sleep(200);
      }
    }
  };
}

/** `dfu serial` / `dfu usb-serial`: every image of the package, in nrfutil's order. */
export async function serialUpdate(opts: SerialUpdateOptions): Promise<void> {
  const images = await packageToSend(opts.packagePath, opts.force);
  let port = opts.port;
  if (port === undefined && opts.serialNumber !== undefined) port = await portBySerialNumber(opts.serialNumber);
  if (port === undefined) throw new UsageError('Please specify the serial port (-p/--port) or the serial number (-snr/--serial-number).');
  log(`Using board at serial port: ${port}`);
  const bars = new Map<DfuImage, ProgressBar>();
  const host = new DfuHost({
    portName: port,
    openPort: portOpener(port, opts),
    prn: opts.prn,
    ping: opts.ping,
    timeoutMs: opts.timeoutSeconds * 1000,
    connectDelayMs: opts.connectDelaySeconds * 1000,
    sleep,
    now: Date.now,
    log: (m) => log(m),
    onProgress: (image, bytes) => {
      let bar = bars.get(image);
      if (!bar) {
        for (const b of bars.values()) b.finish();
        bars.set(image, (bar = new ProgressBar(image.name, image.firmware.length, opts.out)));
      }
      bar.advance(bytes);
    },
  });
  try {
    await host.sendImages(images);
  } finally {
    for (const b of bars.values()) b.finish();
    bars.clear();
  }
  opts.out.write('Device programmed.\n');
}
