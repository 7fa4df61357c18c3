import { OPERATORS_BY_TYPE, SELECTOR_FIELDS, type SelectorFieldSpec } from './selector-fields';

function valuesOf(spec: SelectorFieldSpec): string {
  switch (spec.type) {
    case 'enum':
      return spec.values.map((v) => `\`${v}\``).join(', ');
    case 'text':
      return spec.caseInsensitive ? 'text, any case' : 'text';
    case 'set':
      return 'a label';
    case 'version':
      return '`13`, `14.1.2`';
    case 'boolean':
      return 'bare, or `true` / `false`';
    case 'time':
      return 'age `90s` `15m` `12h` `14d` `2w`, day `2026-01-01`, time `2026-01-01T09:00:00Z`';
  }
}

/** The fields of the selector language as a Markdown table, for docs/selectors.md. */
export function selectorReference(): string {
  const rows = Object.entries(SELECTOR_FIELDS).map(([name, spec]: [string, SelectorFieldSpec]) => {
    const operators = OPERATORS_BY_TYPE[spec.type].map((op) => `\`${op}\``).join(' ');
    return `| \`${name}\` | ${spec.type} | ${operators} | ${valuesOf(spec)} | ${spec.description} |`;
  });
  return [
    '| field | type | operators | values | meaning |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
