import { NrfutilError } from '../core/errors';
import type { SignOptions, SigningKeyProvider } from './keyProvider';

/** Without --sign-timeout or signTimeout in the config: long enough for any remote signer that works. */
export const DEFAULT_SIGN_TIMEOUT_SECONDS = 60;

export interface SigningDeadline {
  /** Milliseconds one signature may take. */
  timeoutMs: number;
  /** Aborted when every signature in flight should stop (Ctrl-C, a fatal error in a batch). */
  signal?: AbortSignal;
  /** What signs, for the timeout message ("HTTP signer"). */
  what: string;
}

/** Why a signature was given up; a provider that ignores its signal still fails at the deadline. */
export class SigningTimeoutError extends NrfutilError {
  constructor(message: string) {
    super(message);
    this.name = 'SigningTimeoutError';
  }
}

/**
 * The key with a deadline on each signature: the provider gets an AbortSignal that fires
 * at the deadline or on `deadline.signal`, and the call fails then even if the provider
 * does not listen. Synchronous signers (PEM) finish before any timer can fire.
 */
export function withSigningDeadline(key: SigningKeyProvider, deadline: SigningDeadline): SigningKeyProvider {
  const seconds = deadline.timeoutMs / 1000;
  const sign = async (message: Uint8Array, options?: SignOptions): Promise<Uint8Array> => {
    const outer = [deadline.signal, options?.signal].filter((s): s is AbortSignal => s !== undefined);
    if (outer.some((s) => s.aborted)) throw new NrfutilError(`${key.label}: signing cancelled`);
    // One controller for the provider's signal, aborted by the timer and by the outer signals'
    // listeners below (not AbortSignal.any: on Node 20 each call would stay attached to a
    // batch's long-lived signal until the batch ends).
    const timer = new AbortController();
    let stop: (e: Error) => void = () => undefined;
    const stopped = new Promise<never>((_, reject) => (stop = reject));
    const timeout = setTimeout(() => {
      const e = new SigningTimeoutError(`${key.label}: no signature from the ${deadline.what} within ${seconds} s; it may be down or overloaded (raise --sign-timeout, or signTimeout in the config)`);
      stop(e);
      timer.abort(e);
    }, deadline.timeoutMs);
    const onAbort = (event: Event) => {
      stop(new NrfutilError(`${key.label}: signing cancelled`));
      timer.abort((event.target as AbortSignal).reason);
    };
    for (const s of outer) s.addEventListener('abort', onAbort, { once: true });
    try {
      return await Promise.race([key.sign(message, { signal: timer.signal }), stopped]);
    } finally {
      clearTimeout(timeout);
      for (const s of outer) s.removeEventListener('abort', onAbort);
    }
  };
  return new Proxy(key, {
    get: (target, prop, receiver) => (prop === 'sign' ? sign : bindIfFunction(Reflect.get(target, prop, receiver), target)),
  });
}

function bindIfFunction(value: unknown, target: object): unknown {
  return typeof value === 'function' ? value.bind(target) : value;
}
