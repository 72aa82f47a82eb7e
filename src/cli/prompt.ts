import readline from 'node:readline';
import { NrfutilError } from '../core/errors';

/** Reads one line from stdin (nrfutil's y/N questions); '' at end of input. */
export function readLine(question: string): Promise<string> {
  process.stdout.write(question);
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, terminal: false });
    let answered = false;
    rl.once('line', (line) => {
      answered = true;
      rl.close();
      resolve(line);
    });
    rl.once('close', () => {
      if (!answered) resolve('');
    });
  });
}

/** Asks for a secret on the TTY without echoing it. */
export function promptSecret(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    if (!stdin.isTTY) return reject(new Error('no terminal to ask for a secret'));
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    let secret = '';
    const done = () => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          done();
          return resolve(secret);
        }
        // Raw mode turns Ctrl-C and Ctrl-D into characters: give them their usual meaning.
        if (ch === '\u0003') {
          done();
          process.kill(process.pid, 'SIGINT');
          return reject(new NrfutilError('interrupted'));
        }
        if (ch === '\u0004') {
          done();
          return reject(new NrfutilError('No secret given (end of input at the prompt)'));
        }
        if (ch === '\u007f') secret = secret.slice(0, -1);
        else secret += ch;
      }
    };
    stdin.on('data', onData);
  });
}
