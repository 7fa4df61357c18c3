/** One benchmark's result line: the figure, the raw baseline it is compared against, and their ratio. */
export interface BenchResult {
  name: string;
  unit: string;
  figure: number;
  baseline: number;
  baselineName: string;
  /** figure / baseline for rates (higher is better) or for times (lower is better), as `better` says. */
  ratio: number;
  better: 'higher' | 'lower';
  target?: string;
  details?: Record<string, unknown>;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
