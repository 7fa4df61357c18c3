import type { CellContext } from './view';

const STEPS: [limit: number, unit: string, size: number][] = [
  [60, 's', 1],
  [3600, 'm', 60],
  [86_400, 'h', 3600],
  [Number.POSITIVE_INFINITY, 'd', 86_400],
];

/** A timestamp for a table cell: "5m ago" for a person at a TTY, the RFC 3339 text otherwise. */
export function timestampCell(iso: string | null | undefined, context: CellContext): string {
  if (!iso) return '';
  if (!context.interactive) return iso;
  const seconds = Math.round((context.now.getTime() - Date.parse(iso)) / 1000);
  const future = seconds < 0;
  const abs = Math.abs(seconds);
  const [, unit, size] = STEPS.find(([limit]) => abs < limit)!;
  const amount = Math.floor(abs / size);
  return future ? `in ${amount}${unit}` : `${amount}${unit} ago`;
}
