/** A weighted choice: `weight` is relative to the other choices. */
export interface Weighted<T> {
  value: T;
  weight: number;
}

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '0123456789';
const UPPER_ALNUM = `${DIGITS}${UPPER}`;
const HEX = '0123456789abcdef';

/** splitmix32: spreads a 32-bit seed over the four words of the sfc32 state. */
function splitmix32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let t = a ^ (a >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  };
}

/**
 * A small, fast, seeded pseudo-random generator (sfc32). The same seed and stream
 * always give the same sequence, on every platform.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** `stream` selects an independent sequence for the same seed, e.g. one per device index. */
  constructor(seed: number, stream = 0) {
    const mix = splitmix32(Math.imul(seed | 0, 0x85ebca6b) ^ Math.imul(stream | 0, 0xc2b2ae35) ^ 0x5bd1e995);
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A float in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** An exponentially distributed wait of mean `mean`: the gap between events of a Poisson process. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** A standard normal draw (Box-Muller). */
  gaussian(): number {
    return Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('cannot pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  pickWeighted<T>(choices: readonly Weighted<T>[]): T {
    const total = choices.reduce((sum, c) => sum + c.weight, 0);
    let point = this.next() * total;
    for (const choice of choices) {
      point -= choice.weight;
      if (point < 0) return choice.value;
    }
    return choices[choices.length - 1]!.value;
  }

  /** `length` decimal digits. */
  digits(length: number): string {
    return this.fromAlphabet(DIGITS, length);
  }

  /** `length` lowercase hexadecimal digits. */
  hex(length: number): string {
    return this.fromAlphabet(HEX, length);
  }

  /**
   * Fills a template: `9` is a digit, `A` an uppercase letter, `X` an uppercase letter or digit,
   * `h` a lowercase hex digit; any other character is kept as is.
   */
  template(pattern: string): string {
    let out = '';
    for (const ch of pattern) {
      if (ch === '9') out += this.fromAlphabet(DIGITS, 1);
      else if (ch === 'A') out += this.fromAlphabet(UPPER, 1);
      else if (ch === 'X') out += this.fromAlphabet(UPPER_ALNUM, 1);
      else if (ch === 'h') out += this.fromAlphabet(HEX, 1);
      else out += ch;
    }
    return out;
  }

  private fromAlphabet(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }
}
