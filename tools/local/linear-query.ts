/**
 * The local Cosmos-protocol server compiles each SQL query to JavaScript (`@zeit/cosmosdb-query`)
 * whose FROM and JOIN steps gather rows with `reduce(($, c) => [...$, { c }], [])`: every row
 * copies the rows before it, so a query costs the square of the container's size (measured: one
 * page over 45,000 documents, 64 s). Azure Cosmos DB has no such cost; the local stack must not
 * invent one. This rewrites each `[...$, rest]` to `($.push(rest), $)`: the accumulator is the
 * fresh `[]` each reduce starts from, so appending in place gives the same rows in linear time.
 */

const ACCUMULATE = /^\[\.\.\.\$,\s*/;
const OPENERS: Record<string, string> = { '[': ']', '(': ')', '{': '}' };

/** Index just past the string literal opening at `start` (double or single quoted, as generated). */
function skipString(code: string, start: number): number {
  const quote = code[start];
  let i = start + 1;
  while (i < code.length && code[i] !== quote) i += code[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** Index of the bracket closing the one at `start`, skipping strings and nested brackets. */
function closing(code: string, start: number): number {
  const stack = [OPENERS[code[start]!]!];
  let i = start + 1;
  while (i < code.length) {
    const ch = code[i]!;
    if (ch === '"' || ch === "'") {
      i = skipString(code, i);
      continue;
    }
    if (OPENERS[ch]) stack.push(OPENERS[ch]);
    else if (ch === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return i;
    }
    i += 1;
  }
  throw new Error('unbalanced query code');
}

export function linearAccumulators(code: string): string {
  let out = '';
  let i = 0;
  while (i < code.length) {
    const ch = code[i]!;
    if (ch === '"' || ch === "'") {
      const end = skipString(code, i);
      out += code.slice(i, end);
      i = end;
      continue;
    }
    const head = ch === '[' ? ACCUMULATE.exec(code.slice(i, i + 16)) : null;
    if (head) {
      const end = closing(code, i);
      out += `($.push(${linearAccumulators(code.slice(i + head[0].length, end))}), $)`;
      i = end + 1;
      continue;
    }
    out += ch;
    i += 1;
  }
  return out;
}

/**
 * The server's own `stripUndefined`, which every page's rows go through, in linear time: drops
 * `undefined` from arrays (unlike JSON, which would write null) and from objects, at every depth.
 */
export function stripUndefined(value: unknown): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) if (item !== undefined) out.push(stripUndefined(item));
    return out;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = stripUndefined(v);
    return out;
  }
  return value;
}
