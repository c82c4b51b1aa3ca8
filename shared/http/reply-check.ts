import { z } from 'zod';

/**
 * Whether a reply matches the schema its route documents (issue 23: the document is the contract,
 * and a reply that drifts from it fails the tests). On in test stacks (REPLY_SCHEMA_CHECK=true),
 * off in production, where it would only cost time. Checks the types with zod, then walks the
 * documented JSON Schema for properties the document does not name: a client generated from it
 * with unknown properties disallowed would refuse those.
 */
const jsonSchemas = new WeakMap<z.ZodType, JsonSchema>();

type JsonSchema = {
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  patternProperties?: Record<string, JsonSchema>;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
};

export const replyChecksOn = (): boolean => process.env.REPLY_SCHEMA_CHECK === 'true';

export function replyProblems(schema: z.ZodType, body: unknown): string[] {
  const parsed = schema.safeParse(body);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
  let json = jsonSchemas.get(schema);
  if (!json) {
    json = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as JsonSchema;
    jsonSchemas.set(schema, json);
  }
  undocumented(json, json, body, '', problems);
  return problems;
}

function undocumented(root: JsonSchema, s: JsonSchema | undefined, v: unknown, at: string, out: string[]): void {
  if (!s) return;
  if (s.$ref) return undocumented(root, root.$defs?.[s.$ref.replace(/^#\/\$defs\//, '')], v, at, out);
  const options = s.anyOf ?? s.oneOf;
  if (options) {
    // The option that fits best speaks for the value.
    let best: string[] | undefined;
    for (const o of options) {
      const found: string[] = [];
      undocumented(root, o, v, at, found);
      if (!best || found.length < best.length) best = found;
    }
    out.push(...(best ?? []));
    return;
  }
  for (const part of s.allOf ?? []) undocumented(root, part, v, at, out);
  if (Array.isArray(v)) {
    v.forEach((x, i) => undocumented(root, s.items, x, `${at}[${i}]`, out));
    return;
  }
  if (!v || typeof v !== 'object' || !(s.properties || s.additionalProperties !== undefined)) return;
  for (const [k, x] of Object.entries(v)) {
    if (s.properties && k in s.properties) undocumented(root, s.properties[k], x, `${at}.${k}`, out);
    else if (typeof s.additionalProperties === 'object') undocumented(root, s.additionalProperties, x, `${at}.${k}`, out);
    else if (s.additionalProperties !== true && !s.patternProperties && !s.propertyNames) out.push(`${at}.${k}: not in the documented schema`);
  }
}
