import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { ZipFile } from 'yazl';

/*
 * A ZIP written as a stream (yazl) straight into a consumer (a blob upload), hashing every file
 * as it passes: nothing is held whole but the small files given as buffers. Files are stored in
 * the order added; a stream's bytes are read only when the archive reaches it.
 */

export interface FileDigest {
  sha256: string;
  size: number;
}

const digestOf = (bytes: Buffer): FileDigest => ({ sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length });

export class ZipStreamWriter {
  private readonly zip = new ZipFile();
  private readonly hash = createHash('sha256');
  private size = 0;
  private readonly consumed: Promise<void>;
  private failure: Error | undefined;
  /** The source being read into the archive now: destroyed when the archive fails, so its connection closes. */
  private active: Readable | undefined;

  /** `consume` reads the archive as it is produced (and resolves once it has stored all of it). */
  constructor(consume: (archive: Readable) => Promise<void>, private readonly mtime = new Date()) {
    // Hashes the archive on its way to the consumer, at the consumer's pace.
    const out = new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        this.hash.update(chunk);
        this.size += chunk.length;
        done(null, chunk);
      },
    });
    this.zip.on('error', (error: Error) => this.fail(error));
    this.zip.outputStream.on('error', (error: Error) => this.fail(error));
    this.zip.outputStream.pipe(out);
    this.output = out;
    this.consumed = consume(out);
    // Watched from the start: an upload that fails while files are still being added ends every wait.
    this.consumed.catch((error: Error) => this.fail(error));
  }

  private readonly output: Transform;

  /** Stops the archive: the consumer sees the error and stores nothing. */
  abort(error: Error): void {
    this.fail(error);
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.active?.destroy();
    this.output.destroy(error);
  }

  /** A small file, compressed: its digest at once. */
  addBuffer(path: string, bytes: Buffer): FileDigest {
    this.zip.addBuffer(bytes, path, { mtime: this.mtime, compress: true });
    return digestOf(bytes);
  }

  /**
   * A large file from a source opened only when the archive reaches it, stored as is (evidence is
   * already compressed media): its digest once all of it has passed into the archive.
   */
  addStream(path: string, open: () => AsyncIterable<Buffer>, size: number): Promise<FileDigest> {
    return new Promise<FileDigest>((resolve, reject) => {
      this.zip.addReadStreamLazy(path, { mtime: this.mtime, compress: false, size }, (cb) => {
        const hash = createHash('sha256');
        let seen = 0;
        const source = Readable.from(
          (async function* () {
            for await (const chunk of open()) {
              hash.update(chunk);
              seen += chunk.length;
              yield chunk;
            }
          })(),
          { objectMode: false },
        );
        this.active = source;
        if (this.failure) source.destroy();
        source.on('end', () => resolve({ sha256: hash.digest('hex'), size: seen }));
        source.on('error', (error) => {
          this.fail(error);
          reject(error);
        });
        cb(null, source);
      });
    });
  }

  /** Rejects as soon as the archive fails (a source, the ZIP writer or the consumer); otherwise waits for `work`. */
  async whileHealthy<T>(work: Promise<T>): Promise<T> {
    // Whatever happens, a later rejection of `work` is handled here, never left to crash the process.
    work.catch(() => undefined);
    if (this.failure) throw this.failure;
    return Promise.race([work, this.consumed.then(() => work)]);
  }

  /** Ends the archive and waits until the consumer has stored it: the archive's own digest. */
  async finish(): Promise<FileDigest> {
    if (this.failure) throw this.failure;
    this.zip.end();
    await this.consumed;
    if (this.failure) throw this.failure;
    return { sha256: this.hash.digest('hex'), size: this.size };
  }
}
