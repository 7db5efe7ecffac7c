// A big-endian bit writer for H.264 RBSPs: fixed-width fields, Exp-Golomb codes (ue/se), the
// trailing bits, and the NAL wrapping with emulation-prevention bytes (ITU-T H.264 §7.3, §9.1).
export class BitWriter {
  private readonly bytes: number[] = [];
  private current = 0;
  private used = 0;

  /** Writes the low `n` bits of `value` (n ≤ 32), most significant first. */
  u(n: number, value: number): this {
    for (let i = n - 1; i >= 0; i--) this.bit((value / 2 ** i) & 1);
    return this;
  }

  bit(b: number): this {
    this.current = (this.current << 1) | (b & 1);
    if (++this.used === 8) {
      this.bytes.push(this.current);
      this.current = 0;
      this.used = 0;
    }
    return this;
  }

  /** Unsigned Exp-Golomb: (leading zeros) 1 (info bits). */
  ue(value: number): this {
    const v = value + 1;
    const len = Math.floor(Math.log2(v));
    this.u(len, 0);
    return this.u(len + 1, v);
  }

  /** Signed Exp-Golomb: k > 0 ↦ 2k − 1, k ≤ 0 ↦ −2k. */
  se(value: number): this {
    return this.ue(value > 0 ? 2 * value - 1 : -2 * value);
  }

  /** A code given as a string of 0s and 1s, as the standard's tables print them. */
  code(bits: string): this {
    for (const c of bits) this.bit(c === '1' ? 1 : 0);
    return this;
  }

  /** rbsp_trailing_bits(): a stop bit, then zeros to the byte boundary. */
  trailing(): Uint8Array {
    this.bit(1);
    while (this.used !== 0) this.bit(0);
    return Uint8Array.from(this.bytes);
  }
}

/** A NAL unit: header byte, then the RBSP with 0x03 inserted after two zeros before 0x00–0x03. */
export function nalUnit(refIdc: number, type: number, rbsp: Uint8Array): Uint8Array {
  const out: number[] = [(refIdc << 5) | type];
  let zeros = 0;
  for (const b of rbsp) {
    if (zeros === 2 && b <= 3) {
      out.push(3);
      zeros = 0;
    }
    out.push(b);
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return Uint8Array.from(out);
}

/** Annex B: each NAL unit after a four-byte start code. */
export function annexB(units: readonly Uint8Array[]): Uint8Array {
  const size = units.reduce((n, u) => n + 4 + u.length, 0);
  const out = new Uint8Array(size);
  let at = 0;
  for (const u of units) {
    out.set([0, 0, 0, 1], at);
    out.set(u, at + 4);
    at += 4 + u.length;
  }
  return out;
}
