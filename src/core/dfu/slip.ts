/**
 * SLIP framing (RFC 1055) as the nRF5 SDK serial DFU transport and nrfutil use it:
 * no leading END, one END after each frame, ESC-escaping of END and ESC.
 */
const END = 0xc0;
const ESC = 0xdb;
const ESC_END = 0xdc;
const ESC_ESC = 0xdd;

export function slipEncode(payload: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (const b of payload) {
    if (b === END) out.push(ESC, ESC_END);
    else if (b === ESC) out.push(ESC, ESC_ESC);
    else out.push(b);
  }
  out.push(END);
  return Uint8Array.from(out);
}

/**
 * Incremental decoder: feed it bytes as they arrive, take whole frames out.
 * An invalid escape drops the frame up to the next END (as nrfutil's decoder does);
 * empty frames (END END) are ignored.
 */
export class SlipDecoder {
  private current: number[] = [];
  private escaped = false;
  private discarding = false;

  push(bytes: Uint8Array): Uint8Array[] {
    const frames: Uint8Array[] = [];
    for (const b of bytes) {
      if (b === END) {
        if (!this.discarding && this.current.length > 0) frames.push(Uint8Array.from(this.current));
        this.current = [];
        this.escaped = false;
        this.discarding = false;
      } else if (this.discarding) {
        continue;
      } else if (this.escaped) {
        this.escaped = false;
        if (b === ESC_END) this.current.push(END);
        else if (b === ESC_ESC) this.current.push(ESC);
        else this.discarding = true;
      } else if (b === ESC) {
        this.escaped = true;
      } else {
        this.current.push(b);
      }
    }
    return frames;
  }
}
