/** A compliance rate as people read it: `93.4%`. */
export const percent = (rate: number): string => `${(rate * 100).toFixed(1)}%`;

/** `1 device`, `3 devices`. */
export const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
