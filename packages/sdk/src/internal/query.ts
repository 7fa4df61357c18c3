/**
 * Encodes a query object as `?a=1&b=x+y`, or '' when nothing is left to send. Undefined and
 * null values are left out; an array becomes one parameter per item.
 */
export function queryString(query: object | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
