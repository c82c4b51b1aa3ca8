/**
 * Decides, in constant memory as chunks stream past, whether bytes are plain text: valid UTF-8
 * (a BOM allowed) with no NUL byte. Feed every chunk, then ask `isText()` at the end.
 */
export class PlainTextCheck {
  #decoder = new TextDecoder('utf-8', { fatal: true });
  #valid = true;

  push(chunk: Uint8Array): void {
    if (!this.#valid) return;
    if (chunk.includes(0)) {
      this.#valid = false;
      return;
    }
    try {
      this.#decoder.decode(chunk, { stream: true });
    } catch {
      this.#valid = false;
    }
  }

  /** Whether everything pushed so far is text; call once, after the last chunk. */
  isText(): boolean {
    if (!this.#valid) return false;
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
