import { describe, expect, it } from 'vitest';
import { generateImei, generateMacAddress, isLuhnValid, luhnCheckDigit } from '../src/identifiers';
import { Random } from '../src/random';

describe('Luhn check digit', () => {
  it('matches known IMEIs', () => {
    expect(luhnCheckDigit('49015420323751')).toBe(8);
    expect(isLuhnValid('490154203237518')).toBe(true);
    expect(isLuhnValid('490154203237517')).toBe(false);
  });
});

describe('identifiers', () => {
  it('makes 15-digit IMEIs that pass the Luhn check, with one type allocation code per model', () => {
    const random = new Random(3);
    const a = generateImei(random, 'Pixel 8');
    const b = generateImei(random, 'Pixel 8');
    expect(a).toMatch(/^\d{15}$/);
    expect(isLuhnValid(a)).toBe(true);
    expect(a.slice(0, 8)).toBe(b.slice(0, 8));
    expect(generateImei(random, 'Galaxy S24').slice(0, 8)).not.toBe(a.slice(0, 8));
  });

  it('makes locally administered unicast MAC addresses', () => {
    const random = new Random(4);
    for (let i = 0; i < 100; i++) {
      const mac = generateMacAddress(random);
      expect(mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
      expect(Number.parseInt(mac.slice(0, 2), 16) & 0b11).toBe(0b10);
    }
  });
});

describe('Random', () => {
  it('repeats its sequence for the same seed and stream only', () => {
    const draw = (seed: number, stream: number) => {
      const random = new Random(seed, stream);
      return Array.from({ length: 5 }, () => random.next());
    };
    expect(draw(1, 2)).toEqual(draw(1, 2));
    expect(draw(1, 2)).not.toEqual(draw(1, 3));
    expect(draw(1, 2)).not.toEqual(draw(2, 2));
  });
});
