/*
 * SQL expressions that mask personal values in an export (`redact=true`); docs/audit.md lists
 * them. Each takes a text expression and gives the masked text (NULL stays NULL).
 */

/** A phone number keeps its leading + and its last 2 digits: +14155550100 → +*********00. */
export const maskPhoneSql = (text: string) => `(CASE WHEN ${text} IS NULL THEN NULL ELSE
    CASE WHEN ${text} LIKE '+%' THEN '+' ELSE '' END
    || repeat('*', greatest(length(regexp_replace(${text}, '\\D', '', 'g')) - 2, 0))
    || right(regexp_replace(${text}, '\\D', '', 'g'), 2) END)`;

/**
 * Free text keeps its words: an e-mail address keeps the first character of its local part
 * (a***@example.com), a phone number (+ and 7 to 15 digits) becomes +***** and its last 2 digits,
 * any other run of 7 or more digits (an IMEI, a serial) ***** and its last 4 digits.
 */
export const maskFreeTextSql = (text: string) => `regexp_replace(regexp_replace(regexp_replace(${text},
    '([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+\\.[A-Za-z0-9.-]+)', '\\1***@\\2', 'g'),
    '\\+\\d{5,13}(\\d{2})(?!\\d)', '+*****\\1', 'g'),
    '\\d{3,}(\\d{4})', '*****\\1', 'g')`;

/** `fields` replaced in the jsonb `data` where their new value is not NULL (a null field stays null). */
const replaced = (data: string, fields: Record<string, string>) =>
  `${data} || jsonb_strip_nulls(jsonb_build_object(${Object.entries(fields)
    .map(([name, value]) => `'${name}', ${value}`)
    .join(', ')}))`;

const MASKED = `'***'`;
const masked = (data: string, field: string) =>
  `CASE WHEN ${data} ->> '${field}' IS NOT NULL THEN ${MASKED} END`;

/**
 * An event's `data` as a redacted export shows it: locations rounded to 2 decimals (about 1 km)
 * without their accuracy, phone numbers to their last 2 digits, network names, IP addresses and
 * file paths masked, e-mail addresses and long numbers masked in free text.
 */
export const redactedDataSql = (category: string, data: string) => `CASE ${category}
    WHEN 'location' THEN ${data} || jsonb_build_object(
      'latitude', round((${data} ->> 'latitude')::numeric, 2)::float8,
      'longitude', round((${data} ->> 'longitude')::numeric, 2)::float8,
      'accuracyMeters', null)
    WHEN 'callLog' THEN ${replaced(data, { number: maskPhoneSql(`(${data} ->> 'number')`) })}
    WHEN 'fileVirusScan' THEN ${replaced(data, { path: masked(data, 'path') })}
    WHEN 'networkInfo' THEN ${replaced(data, { ssid: masked(data, 'ssid'), ipAddress: masked(data, 'ipAddress') })}
    WHEN 'operationLogs' THEN ${replaced(data, { detail: maskFreeTextSql(`(${data} ->> 'detail')`) })}
    ELSE ${data}
  END`;
