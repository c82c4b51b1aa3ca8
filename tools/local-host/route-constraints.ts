/**
 * Inline route constraints (`{id:int}`, `{slug:regex(^[a-z-]+$)}`), checked the way ASP.NET
 * Core's built-in constraints are. Unknown names are accepted and do not restrict the value.
 */
export interface RouteConstraint {
  text: string;
  known: boolean;
  test(value: string): boolean;
}

const int32 = (value: string): boolean => /^[+-]?\d+$/.test(value) && Math.abs(Number(value)) <= 2 ** 31;
const int64 = (value: string): boolean => /^[+-]?\d+$/.test(value) && BigInt(value) >= -(2n ** 63n) && BigInt(value) < 2n ** 63n;
const number = (value: string): boolean => /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value);
const guid = (value: string): boolean =>
  /^[0-9a-f]{32}$/i.test(value) ||
  /^([{(]?)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}([})]?)$/i.test(value);

type Factory = (args: string[]) => ((value: string) => boolean) | undefined;

const factories: Record<string, Factory> = {
  int: () => (v) => int32(v) && Number(v) <= 2 ** 31 - 1,
  long: () => int64,
  bool: () => (v) => /^(true|false)$/i.test(v),
  guid: () => guid,
  alpha: () => (v) => /^[a-z]+$/i.test(v),
  double: () => number,
  float: () => number,
  decimal: () => number,
  datetime: () => (v) => !Number.isNaN(Date.parse(v)),
  required: () => (v) => v !== '',
  min: ([min]) => (min === undefined ? undefined : (v) => int64(v) && BigInt(v) >= BigInt(min)),
  max: ([max]) => (max === undefined ? undefined : (v) => int64(v) && BigInt(v) <= BigInt(max)),
  range: ([min, max]) =>
    min === undefined || max === undefined ? undefined : (v) => int64(v) && BigInt(v) >= BigInt(min) && BigInt(v) <= BigInt(max),
  length: ([a, b]) => {
    if (a === undefined) return undefined;
    return b === undefined ? (v) => [...v].length === Number(a) : (v) => [...v].length >= Number(a) && [...v].length <= Number(b);
  },
  minlength: ([min]) => (min === undefined ? undefined : (v) => [...v].length >= Number(min)),
  maxlength: ([max]) => (max === undefined ? undefined : (v) => [...v].length <= Number(max)),
};

export function parseRouteConstraint(text: string): RouteConstraint {
  const match = /^([A-Za-z]+)(?:\((.*)\))?$/s.exec(text);
  const name = match?.[1]?.toLowerCase();
  const argument = match?.[2];
  if (name === 'regex' && argument !== undefined) {
    // ASP.NET matches regex constraints case-insensitively and unanchored.
    const pattern = new RegExp(argument, 'i');
    return { text, known: true, test: (value) => pattern.test(value) };
  }
  const factory = name === undefined ? undefined : factories[name];
  const test = factory?.(argument === undefined ? [] : argument.split(',').map((a) => a.trim()));
  if (!test) return { text, known: false, test: () => true };
  return { text, known: true, test };
}
