/** UTF-16's byte-order mark, little- or big-endian: what Windows Notepad saves "Unicode" text with. */
export function utf16ByteOrder(head: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** What the bytes are before any signature library reads them: a "#!" script is an executable; UTF-16 text is text (its FF FE reads as an MPEG frame). */
export function sniffBeforeSignatures(head: Uint8Array): { mediaType: string } | 'text' | undefined {
  if (head[0] === 0x23 && head[1] === 0x21) return { mediaType: SCRIPT_MEDIA_TYPE };
  return utf16ByteOrder(head) ? 'text' : undefined;
}

export const SCRIPT_MEDIA_TYPE = 'text/x-shellscript';

/**
 * Decides, in constant memory as chunks stream past, whether bytes are plain text: valid UTF-8
 * (a BOM allowed), or UTF-16 after its byte-order mark, with no NUL character. Feed every chunk,
 * then ask `isText()` at the end.
 */
export class PlainTextCheck {
  #decoder: InstanceType<typeof TextDecoder> | undefined;
  #valid = true;

  push(chunk: Uint8Array): void {
    if (!this.#valid) return;
    // The first chunk names the encoding (a stream's first chunk holds its first two bytes).
    const encoding = this.#decoder ? undefined : (utf16ByteOrder(chunk) ?? 'utf-8');
    this.#decoder ??= new TextDecoder(encoding, { fatal: true });
    // In UTF-8 a NUL is a zero byte; in UTF-16 zero bytes are common and a NUL is a decoded U+0000.
    if (this.#decoder.encoding === 'utf-8' && chunk.includes(0)) {
      this.#valid = false;
      return;
    }
    try {
      if (this.#decoder.decode(chunk, { stream: true }).includes('\u0000')) this.#valid = false;
    } catch {
      this.#valid = false;
    }
  }

  /** Whether everything pushed so far is text; call once, after the last chunk. */
  isText(): boolean {
    if (!this.#valid || !this.#decoder) return false;
    try {
      this.#decoder.decode();
      return true;
    } catch {
      // ended in the middle of a multi-byte sequence
      return false;
    }
  }

  /** Still possibly text (false as soon as a chunk proves otherwise). */
  get possible(): boolean {
    return this.#valid;
  }
}
