/**
 * A blob trigger path such as `uploads/{name}` or `images/{folder}/{name}.{ext}`: the container,
 * the listing prefix before the first placeholder, and a matcher that binds the placeholders.
 * Like the Functions runtime, `{name}` may span virtual folders.
 */
export interface BlobPathPattern {
  container: string;
  prefix: string;
  match(blobName: string): Record<string, string> | undefined;
}

export function parseBlobPath(path: string): BlobPathPattern {
  const trimmed = path.trim().replace(/^\/+/, '');
  const slash = trimmed.indexOf('/');
  if (slash <= 0) throw new Error(`Blob path "${path}" must be "<container>/<blob pattern>".`);
  const container = trimmed.slice(0, slash);
  if (container.includes('{')) throw new Error(`Blob path "${path}": the container cannot be a placeholder.`);
  const pattern = trimmed.slice(slash + 1);

  const names: string[] = [];
  let source = '';
  let prefix = '';
  let seenPlaceholder = false;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if ((char === '{' || char === '}') && pattern[i + 1] === char) {
      source += escapeRegExp(char);
      if (!seenPlaceholder) prefix += char;
      i++;
    } else if (char === '{') {
      const end = pattern.indexOf('}', i + 1);
      if (end < 0) throw new Error(`Blob path "${path}": unterminated "{".`);
      const name = pattern.slice(i + 1, end).trim();
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`Blob path "${path}": invalid placeholder "{${name}}".`);
      names.push(name);
      source += '(.+)';
      seenPlaceholder = true;
      i = end;
    } else {
      source += escapeRegExp(char);
      if (!seenPlaceholder) prefix += char;
    }
  }
  const regex = new RegExp(`^${source}$`, 's');
  return {
    container,
    prefix,
    match(blobName) {
      const found = regex.exec(blobName);
      if (!found) return undefined;
      const values: Record<string, string> = {};
      names.forEach((name, index) => {
        values[name] = found[index + 1] ?? '';
      });
      return values;
    },
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
