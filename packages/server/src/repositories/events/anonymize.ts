/**
 * The SQL rewrite of an event's `data` once it is anonymized: coordinates rounded to one decimal
 * (about 11 km) without their accuracy, and the other party's number, the scanned file's path and
 * the network's name and address removed. The other categories carry nothing personal.
 */
export const anonymizedDataSql = (category: string, data: string) => `CASE ${category}
    WHEN 'location' THEN ${data} || jsonb_build_object(
      'latitude', round((${data} ->> 'latitude')::numeric, 1)::float8,
      'longitude', round((${data} ->> 'longitude')::numeric, 1)::float8,
      'accuracyMeters', null)
    WHEN 'callLog' THEN ${data} || '{"number": null}'::jsonb
    WHEN 'fileVirusScan' THEN ${data} || '{"path": null}'::jsonb
    WHEN 'networkInfo' THEN ${data} || '{"ssid": null, "ipAddress": null}'::jsonb
    ELSE ${data}
  END`;

/**
 * The SET list of an UPDATE of device_events that anonymizes its rows: no link to a device or a
 * person is left, and the personal fields of the data are rewritten. Anonymized rows are kept.
 */
export const ANONYMIZE_SET = `device_id = NULL, user_id = NULL, anonymized_at = now(),
  data = ${anonymizedDataSql('category', 'data')}`;
