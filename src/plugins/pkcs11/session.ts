import fs from 'node:fs';
import * as pkcs11js from 'pkcs11js';
import { FatalError, NrfutilError } from '../../core/errors';

/** The CKR_… name of a PKCS#11 error, for one-line messages. */
export function ckrName(e: unknown): string {
  const message = (e as Error)?.message ?? String(e);
  return /CKR_[A-Z_]+/.exec(message)?.[0] ?? message.split('\n')[0];
}

interface LoadedModule {
  lib: pkcs11js.PKCS11;
  users: number;
}

/** A logged-in session on one token, shared by every key opened on it in this process. */
export interface TokenSession {
  readonly lib: pkcs11js.PKCS11;
  /** The current session: replaced by reopen() after the token lost it. */
  readonly handle: pkcs11js.Handle;
  readonly tokenLabel: string;
  /**
   * Logs in again on a fresh session after `lost` (the handle an operation failed on)
   * was lost. Concurrent callers share one re-login; a caller whose handle was already
   * replaced returns at once. A refused PIN is final, as at the first login.
   */
  reopen(lost: pkcs11js.Handle): Promise<void>;
}

/**
 * Results that mean the session (not the key or the request) is gone: closed by the
 * module or another application, logged out, or the token pulled and put back.
 */
const SESSION_LOST = new Set(['CKR_SESSION_HANDLE_INVALID', 'CKR_SESSION_CLOSED', 'CKR_DEVICE_REMOVED', 'CKR_TOKEN_NOT_PRESENT', 'CKR_USER_NOT_LOGGED_IN']);

/**
 * Runs one token operation on the session; when it fails because the session was lost,
 * logs in once on a fresh session and runs it once more. A second failure is thrown
 * (the service answers 503): no login loop that could lock the token.
 */
export async function withSessionRetry<T>(session: TokenSession, operation: (handle: pkcs11js.Handle) => T): Promise<T> {
  const handle = session.handle;
  try {
    return operation(handle);
  } catch (e) {
    if (!SESSION_LOST.has(ckrName(e))) throw e;
    await session.reopen(handle);
    return operation(session.handle);
  }
}

const modules = new Map<string, LoadedModule>();
const sessions = new Map<string, { session: TokenSession; close: () => void }>();
/** Tokens whose login failed in this process: never tried again (a real token locks its PIN). */
const failedLogins = new Map<string, FatalError>();
/** Results of C_Login that mean the PIN itself is wrong or unusable. */
const PIN_FAILURES = new Set(['CKR_PIN_INCORRECT', 'CKR_PIN_LOCKED', 'CKR_PIN_INVALID', 'CKR_PIN_LEN_RANGE', 'CKR_PIN_EXPIRED']);

function loadModule(modulePath: string): LoadedModule {
  const loaded = modules.get(modulePath);
  if (loaded) return loaded;
  if (!fs.existsSync(modulePath)) throw new NrfutilError(`PKCS#11 module ${modulePath} does not exist; set module-path in the URI, pkcs11.module in the config, or NRFUTIL_PKCS11_MODULE`);
  const lib = new pkcs11js.PKCS11();
  try {
    lib.load(modulePath);
    lib.C_Initialize();
  } catch (e) {
    throw new NrfutilError(`Cannot load PKCS#11 module ${modulePath} (${ckrName(e)})`);
  }
  const entry = { lib, users: 0 };
  modules.set(modulePath, entry);
  return entry;
}

function unloadModule(modulePath: string): void {
  const entry = modules.get(modulePath);
  if (!entry || entry.users > 0) return;
  modules.delete(modulePath);
  try {
    entry.lib.C_Finalize();
    entry.lib.close();
  } catch {
    // the process is done with the module; nothing useful to report
  }
}

const trimmed = (field: string) => field.replace(/[\s\0]+$/, '');

export interface TokenSelector {
  token?: string;
  serial?: string;
}

function describe(selector: TokenSelector): string {
  return selector.token !== undefined ? `token '${selector.token}'` : selector.serial !== undefined ? `token with serial ${selector.serial}` : 'the first token';
}

function findSlot(lib: pkcs11js.PKCS11, selector: TokenSelector): { slot: pkcs11js.Handle; label: string } {
  for (const slot of lib.C_GetSlotList(true)) {
    const info = lib.C_GetTokenInfo(slot);
    const label = trimmed(info.label);
    if (selector.token !== undefined && label !== selector.token) continue;
    if (selector.serial !== undefined && trimmed(info.serialNumber) !== selector.serial) continue;
    return { slot, label };
  }
  throw new NrfutilError(`No ${describe(selector)} in the PKCS#11 module; check the URI's token= (softhsm2-util --show-slots lists tokens)`);
}

/** Logs out of and closes every token session; the CLI calls it once, at exit. */
export function closeAllTokenSessions(): void {
  for (const [key, entry] of sessions) {
    sessions.delete(key);
    entry.close();
  }
}

let closeAtExit = false;

/**
 * Opens (or joins) the logged-in session for a token. `pin` is asked for only when a
 * new session has to log in, and the session stays logged in until the process ends
 * (or closeAllTokenSessions), so a batch of thousands of keys logs in once even when
 * some of its keys are missing. A failed login is remembered and ends the command.
 */
export async function openTokenSession(modulePath: string, selector: TokenSelector, pin: () => Promise<string>): Promise<TokenSession> {
  const key = `${modulePath}\0${selector.token ?? ''}\0${selector.serial ?? ''}`;
  const failed = failedLogins.get(key);
  if (failed) throw failed;
  const existing = sessions.get(key);
  if (existing) return existing.session;
  const module = loadModule(modulePath);
  module.users++;
  try {
    const first = await logIn(module.lib, selector, pin, key);
    if (!closeAtExit) {
      closeAtExit = true;
      process.once('exit', closeAllTokenSessions);
    }
    let handle = first.handle;
    let reopening: Promise<void> | undefined;
    const session: TokenSession = {
      lib: module.lib,
      tokenLabel: first.label,
      get handle() {
        return handle;
      },
      reopen(lost) {
        if (lost !== handle) return Promise.resolve();
        reopening ??= (async () => {
          try {
            module.lib.C_CloseSession(lost);
          } catch {
            // it is gone already: that is why we are here
          }
          const failedBefore = failedLogins.get(key);
          if (failedBefore) throw failedBefore;
          handle = (await logIn(module.lib, selector, pin, key)).handle;
        })().finally(() => (reopening = undefined));
        return reopening;
      },
    };
    const close = () => {
      try {
        module.lib.C_Logout(handle);
        module.lib.C_CloseSession(handle);
      } catch {
        // closing is best effort; the module is finalised next
      }
      module.users--;
      unloadModule(modulePath);
    };
    sessions.set(key, { session, close });
    return session;
  } catch (e) {
    module.users--;
    unloadModule(modulePath);
    throw e;
  }
}

/** Opens a session on the selected token and logs in; a refused PIN is remembered (never tried again). */
async function logIn(lib: pkcs11js.PKCS11, selector: TokenSelector, pin: () => Promise<string>, key: string): Promise<{ handle: pkcs11js.Handle; label: string }> {
  const { slot, label } = findSlot(lib, selector);
  const secret = await pin();
  const handle = lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
  try {
    lib.C_Login(handle, pkcs11js.CKU_USER, secret);
  } catch (e) {
    const why = ckrName(e);
    // login state belongs to the application: a session opened beside a logged-in one is logged in
    if (why === 'CKR_USER_ALREADY_LOGGED_IN') return { handle, label };
    lib.C_CloseSession(handle);
    const wrongPin = why === 'CKR_PIN_INCORRECT' ? 'wrong PIN' : why === 'CKR_PIN_LOCKED' ? 'the PIN is locked' : 'the PIN was refused';
    const error = new FatalError(`PKCS#11 login to token '${label}' failed: ${PIN_FAILURES.has(why) ? `${wrongPin} (${why}); stopped after this one attempt` : why}`);
    failedLogins.set(key, error);
    throw error;
  }
  return { handle, label };
}
