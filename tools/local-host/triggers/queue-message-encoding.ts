const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Queue triggers default to `messageEncoding: base64` (what the storage SDKs and Functions output
 * bindings write). Text that is not canonical base64 of valid UTF-8 was written raw and is
 * passed through unchanged, so tools that enqueue plain text still work.
 */
export function decodeQueueMessage(text: string): string {
  if (text.length === 0 || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return text;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) return text;
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return text;
  }
}

export function encodeQueueMessage(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
