import fs from 'node:fs';
import path from 'node:path';
import { readDfuPackage } from '../src/core/packageReader';
import { imagesToSend } from '../src/core/dfu/packageImages';
import { DfuHost, DfuPort } from '../src/core/dfu/transfer';
import { SimulatedBootloader, ImageVerdict } from '../src/core/dfu/simulatedBootloader';
import { openPemFile } from '../src/plugins/pemFile';
import { INPUTS } from './helpers/cli';
import { DFU_CORPUS, hex, optionOf, recordedSessions, RecordedSession } from './helpers/dfuSessions';

const sessions = recordedSessions();

/**
 * A port that plays the recorded target: each time the host finishes a frame, the
 * target frames recorded after that host frame (up to the next host frame) arrive.
 */
function replayTarget(session: RecordedSession) {
  const sent: string[] = [];
  let next = 0;
  let pending: Uint8Array[] = [];
  let partial = '';
  let opens = 0;
  const deliverAfterHostFrame = () => {
    // Skip the host frame this write stands for, then queue the target's answers.
    if (session.frames[next]?.dir === 'host') next++;
    while (next < session.frames.length && session.frames[next].dir === 'target') pending.push(Buffer.from(session.frames[next++].slip, 'hex'));
  };
  const openPort = async (): Promise<DfuPort> => {
    opens++;
    return {
      async write(bytes) {
        partial += hex(bytes);
        while (partial.includes('c0')) {
          // frames end at the first END byte on an even (byte) boundary
          let end = -1;
          for (let i = 0; i < partial.length; i += 2) if (partial.slice(i, i + 2) === 'c0') { end = i + 2; break; }
          if (end < 0) break;
          sent.push(partial.slice(0, end));
          partial = partial.slice(end);
          deliverAfterHostFrame();
        }
      },
      async read() {
        const chunk = pending.shift();
        return chunk;
      },
      async close() {
        pending = [];
      },
    };
  };
  return { openPort, sent, opens: () => opens };
}

async function packageImages(session: RecordedSession) {
  const zip = fs.readFileSync(path.join(DFU_CORPUS, session.package));
  return imagesToSend(await readDfuPackage(zip, session.package));
}

describe('dfu serial against the recorded nrfutil 6.1.7 sessions', () => {
  it('has recordings to replay', () => {
    expect(sessions.map((s) => s.name)).toEqual(expect.arrayContaining(['app', 'app_prn4', 'sdbl', 'sdblapp']));
  });

  it.each(sessions.map((s) => [s.name, s] as const))('%s: our host sends the same frames, byte for byte', async (_name, session) => {
    const target = replayTarget(session);
    const progress: number[] = [];
    const host = new DfuHost({
      portName: 'PORT',
      openPort: target.openPort,
      prn: Number(optionOf(session, '-prn') ?? 0),
      ping: session.command[1] === 'serial',
      timeoutMs: 2000,
      connectDelayMs: 0,
      sleep: async () => {},
      now: () => Date.now(),
      onProgress: (_image, bytes) => progress.push(bytes),
    });
    const images = await packageImages(session);
    await host.sendImages(images);
    const recordedHost = session.frames.filter((f) => f.dir === 'host').map((f) => f.slip);
    expect(target.sent.length).toBe(recordedHost.length);
    expect(target.sent).toEqual(recordedHost);
    expect(target.opens()).toBe(session.images.length);
    expect(progress.reduce((a, b) => a + b, 0)).toBe(images.reduce((a, i) => a + i.firmware.length, 0));
  });

  it.each(sessions.map((s) => [s.name, s] as const))('%s: our simulator answers the recorded host frames with the recorded target frames', async (_name, session) => {
    const verdicts: ImageVerdict[] = [];
    const key = await (await openPemFile(path.join(INPUTS, 'key_a.pem'), { env: {}, config: {}, warn: () => {} })).publicKey();
    const target = new SimulatedBootloader({ publicKey: key, hwVersion: 52, sdId: 0xca, appVersion: 0, blVersion: 0 }, (v) => verdicts.push(v));
    const answered: string[] = [];
    for (const frame of session.frames.filter((f) => f.dir === 'host')) answered.push(...target.receive(Buffer.from(frame.slip, 'hex')).map(hex));
    expect(answered).toEqual(session.frames.filter((f) => f.dir === 'target').map((f) => f.slip));
    expect(verdicts).toEqual(session.images);
    expect(target.mtu).toBe(session.target_mtu);
  });
});
