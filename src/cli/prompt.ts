import { NrfutilError } from '../core/errors';

/**
 * nrfutil's query_func: prints `question  [y/N]`, reads a line; y/yes → true, n/no or
 * an empty line → false, anything else → `Please respond with y/n` and ask again.
 * undefined at end of input (nrfutil then stops with click's `Aborted!`, exit 1).
 */
export async function askYesNo(question: string): Promise<boolean | undefined> {
  // loaded here: most runs never ask, and node:readline costs every start-up ~0.5 ms
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const readline = require('node:readline') as typeof import('node:readline');
  const rl = readline.createInterface({ input: process.stdin, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  try {
    for (;;) {
      process.stdout.write(`${question}  [y/N]\n`);
      const next = await lines.next();
      if (next.done) return undefined;
      const choice = next.value.toLowerCase();
      if (choice === '' || choice === 'n' || choice === 'no') return false;
      if (choice === 'y' || choice === 'yes') return true;
      process.stdout.write('Please respond with y/n\n');
    }
  } finally {
    rl.close();
  }
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
