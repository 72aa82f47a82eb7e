import { ImageVerdict, SimulatedBootloader, SimulatedDevice } from '../core/dfu/simulatedBootloader';
import { openPty, Pty } from './pty';

export interface RunningSimulator {
  path: string;
  /** Resolves when the pseudo-terminal is gone (after stop(), or if its relay died). */
  closed: Promise<void>;
  stop(): void;
}

/** A simulated bootloader behind a pseudo-terminal: what a host writes to `path` is answered as a device would. */
export async function startSimulator(device: SimulatedDevice, link: string | undefined, onVerdict: (v: ImageVerdict) => void): Promise<RunningSimulator> {
  const pty: Pty = await openPty(link);
  const target = new SimulatedBootloader(device, onVerdict);
  pty.onData((bytes) => {
    for (const reply of target.receive(bytes)) pty.write(reply);
  });
  const closed = new Promise<void>((resolve) => pty.onExit(resolve));
  return { path: pty.path, closed, stop: () => pty.close() };
}
