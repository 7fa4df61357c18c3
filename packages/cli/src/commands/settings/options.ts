import { InvalidArgumentError } from 'commander';

/**
 * Parses a whole number of at least `min`, or `off`: a setting turned off. `off` stays text,
 * since commander stores a parser's null as an empty string.
 */
export const numberOrOff =
  (min: number) =>
  (value: string): number | 'off' => {
    if (value.trim().toLowerCase() === 'off') return 'off';
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
      throw new InvalidArgumentError(`expected a whole number of at least ${min}, or off`);
    }
    return n;
  };
