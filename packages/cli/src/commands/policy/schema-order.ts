/** The parts of a zod schema's definition that say in which order an object's keys come. */
interface SchemaNode {
  def: { type: string; shape?: Record<string, SchemaNode>; innerType?: SchemaNode; element?: SchemaNode };
}

/**
 * `value` with the keys of every object in the order `schema` declares them (unknown keys
 * last, sorted), whatever order the server sent them in: stable files, small diffs.
 */
export function inSchemaOrder(schema: unknown, value: unknown): unknown {
  const { def } = schema as SchemaNode;
  if (def.type === 'optional' || def.type === 'nullable' || def.type === 'default') {
    return inSchemaOrder(def.innerType, value);
  }
  if (def.type === 'array' && Array.isArray(value))
    return value.map((item) => inSchemaOrder(def.element, item));
  if (def.type !== 'object' || !def.shape || typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>);
  const declared = Object.keys(def.shape);
  const rank = (key: string) => (declared.includes(key) ? declared.indexOf(key) : declared.length);
  entries.sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(
    entries.map(([key, item]) => [key, def.shape![key] ? inSchemaOrder(def.shape![key], item) : item]),
  );
}
