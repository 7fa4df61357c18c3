import { FleetError } from '../core/errors';

/**
 * Builds a request path from a template, percent-encoding every interpolated value:
 * path`/v1/devices/${id}` is `/v1/devices/abc%2Fdef` for id `abc/def`.
 * Throws `FleetError` on an empty, `.` or `..` value, which would address another resource.
 */
export function path(strings: TemplateStringsArray, ...params: string[]): string {
  return strings.reduce((result, literal, index) => {
    if (index === 0) return literal;
    return result + encodeParam(params[index - 1]!) + literal;
  }, '');
}

function encodeParam(value: string): string {
  if (typeof value !== 'string' || value === '' || value === '.' || value === '..') {
    throw new FleetError(`invalid path parameter: ${JSON.stringify(value)}`);
  }
  return encodeURIComponent(value);
}
