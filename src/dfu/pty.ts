import { ChildProcess, spawn } from 'node:child_process';
import { NrfutilError } from '../core/errors';

/**
 * A pseudo-terminal whose far end is ours. Node has no pty API, so a few lines of
 * Python's standard `pty`/`os.openpty` hold it: raw mode, then bytes relayed between
 * the pty master and the relay's stdin/stdout. Why Python: it is on every Linux and
 * macOS CI image and developer machine, needs no native npm module to build, and its
 * relay keeps the slave side open, so a host may close and reopen the port between
 * images (as nrfutil does) without the master seeing a hang-up.
 */
const RELAY = String.raw`
import os, select, sys, tty
master, slave = os.openpty()
tty.setraw(slave)
name = os.ttyname(slave)
link = sys.argv[1] if len(sys.argv) > 1 else ""
if link:
    if os.path.lexists(link):
        os.unlink(link)
    os.symlink(name, link)
sys.stderr.write("PTY " + name + "\n")
sys.stderr.flush()
def write_all(fd, data):
    while data:
        data = data[os.write(fd, data):]
try:
    while True:
        ready, _, _ = select.select([master, 0], [], [])
        if master in ready:
            write_all(1, os.read(master, 65536))
        if 0 in ready:
            data = os.read(0, 65536)
            if not data:
                break
            write_all(master, data)
finally:
    if link and os.path.islink(link):
        os.unlink(link)
`;

export interface Pty {
  /** The pty's device path (/dev/pts/N). */
  path: string;
  /** Bytes the host wrote. */
  onData(listener: (bytes: Uint8Array) => void): void;
  write(bytes: Uint8Array): void;
  /** Called once the relay has gone (after close(), or if it died). */
  onExit(listener: () => void): void;
  close(): void;
}

export function openPty(link?: string, python = process.env.NRFUTIL_PYTHON ?? 'python3'): Promise<Pty> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(python, ['-c', RELAY, ...(link ? [link] : [])], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    let opened = false;
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(
        new NrfutilError(
          err.code === 'ENOENT'
            ? `dfu simulate needs python3 to hold the pseudo-terminal (not found: ${python}); install python3 or set NRFUTIL_PYTHON`
            : `Cannot start ${python}: ${err.message}`,
        ),
      ),
    );
    child.on('exit', (code) => {
      if (!opened) reject(new NrfutilError(`Could not open a pseudo-terminal${link ? ` at ${link}` : ''}: ${stderr.trim().split('\n').pop() || `exit ${code}`}`));
    });
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /^PTY (.+)$/m.exec(stderr);
      if (m && !opened) {
        opened = true;
        resolve({
          path: m[1],
          onData: (listener) => child.stdout!.on('data', (b: Buffer) => listener(new Uint8Array(b))),
          write: (bytes) => child.stdin!.write(Buffer.from(bytes)),
          onExit: (listener) => child.on('exit', () => listener()),
          close: () => child.stdin!.end(),
        });
      }
    });
  });
}
