import type { PublicKeyXY, SignatureRS } from '../core/signature';

/**
 * Where a signing key lives. Everything that signs (init packets, ECDSA boot
 * validation in packages and settings pages) goes through this interface; nothing
 * else touches private key material. Byte forms are the plain big-endian ones; the
 * little-endian halves the nRF5 bootloader wants are core's business.
 */
export interface KeyProvider {
  /** Human-readable name of the key for messages: a path or a URI without secrets. */
  readonly label: string;
  /** Public key, x‖y (64 bytes). */
  publicKey(): Promise<PublicKeyXY>;
  /**
   * ECDSA P-256 over SHA-256(message); r‖s (64 bytes). Absent for public-only keys.
   * A remote provider should pass `options.signal` on to its request: it fires when the
   * signature is no longer wanted (--sign-timeout passed, Ctrl-C, a fatal error elsewhere).
   */
  sign?(message: Uint8Array, options?: SignOptions): Promise<SignatureRS>;
  /**
   * The private key as SEC1 PEM, only for providers that hold it in software
   * (`keys display --key sk`). HSM providers leave this out: their keys never leave.
   */
  exportPrivateKeyPem?(): Promise<string>;
  /** Releases sessions or handles (HSM logins). */
  close?(): Promise<void>;
}

export interface SignOptions {
  /** Aborted when the caller gives up on this signature. */
  signal?: AbortSignal;
}

/**
 * What a provider family can do, so that callers ask instead of switching on names.
 */
export interface ProviderCapabilities {
  /**
   * Its keys can be opened inside a worker thread from the key reference, the config
   * and the environment alone (no terminal prompt, no session shared with this thread).
   * A batch then spreads signing over threads.
   */
  workerSafe: boolean;
  /** Signatures it can make at once (an HSM session: 1; a remote signer: its limit). */
  maxConcurrentSignatures: number;
  /** What it is, for messages: "PEM file", "PKCS#11 token", "HTTP signer". */
  label: string;
}

/** A provider's own section of the config file (`providers: { <name>: {…} }`). */
export type ProviderSettings = Record<string, unknown>;

/** What a command knows about the key the user named. */
export interface KeyReference {
  /** `--key-file` value: a path or a `pkcs11:` URI. */
  keyFile?: string;
  /** `--key-dir` + `--device`: one key per device in a directory. */
  keyDir?: string;
  device?: string;
}

/** Settings from the config file and environment that providers may use. */
export interface ProviderContext {
  env: NodeJS.ProcessEnv;
  config: Record<string, unknown>;
  /**
   * This provider's section of the config file (`providers.<name>`); the registry fills
   * it in before calling a factory.
   */
  settings?: ProviderSettings;
  /** Asks the user for a secret on the TTY; undefined when there is no TTY. */
  promptSecret?: (question: string) => Promise<string>;
  /** Warnings for the user (stderr). */
  warn: (message: string) => void;
}

/**
 * A provider family: recognises the references it serves and opens them. Third-party
 * npm packages export one of these (see README, "Writing a key provider").
 */
export interface KeyProviderFactory {
  readonly name: string;
  /**
   * What it can do; a function when that depends on its config section (a remote
   * signer's concurrency). Left out: not worker-safe, one signature at a time.
   */
  readonly capabilities?: ProviderCapabilities | ((settings: ProviderSettings) => ProviderCapabilities);
  /** True when this factory serves the reference (checked in registration order). */
  accepts(ref: KeyReference): boolean;
  open(ref: KeyReference, ctx: ProviderContext): Promise<KeyProvider>;
  /** Creates a new key at the reference; returns a provider for it. */
  generate?(ref: KeyReference, ctx: ProviderContext): Promise<KeyProvider>;
  /**
   * Whether a key exists at the reference, cheaply (no login, no signature): `keys generate`
   * asks before replacing one and skips existing ones in a batch. Left out: unknown.
   */
  hasKey?(ref: KeyReference, ctx: ProviderContext): boolean | Promise<boolean>;
  /**
   * The file holding the reference's key, for providers whose keys are files: the CLI
   * then treats it as a file argument (a missing --key-file is a usage error, as in nrfutil).
   */
  keyFile?(ref: KeyReference): string;
  /** The key a bare `--device ID` means under this provider's config section, if it names one. */
  deviceReference?(device: string, settings: ProviderSettings): KeyReference | undefined;
  /** How a device id is written inside this provider's references (a URI percent-encodes). */
  escapeDevice?(device: string): string;
  /** Checks its config section (`where`: "providers.<name>"); returns what is wrong, or undefined. */
  checkSettings?(settings: ProviderSettings, where: string): string | undefined;
  /** Settings that are paths: resolved against the config file's directory. */
  readonly pathSettings?: readonly string[];
}

/** A provider that can sign (narrowing helper for callers that need signatures). */
export type SigningKeyProvider = KeyProvider & { sign(message: Uint8Array): Promise<SignatureRS> };
