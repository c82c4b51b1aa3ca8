import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { BlobServiceClient } from '@azure/storage-blob';
import { call } from './api';

/** Real files, made here: what retailers upload, and what they must not. */
export const files = {
  async jpeg(width = 64, height = 48): Promise<Buffer> {
    return sharp(gradient(width, height), { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
  },
  async png(width = 40, height = 30): Promise<Buffer> {
    return sharp(gradient(width, height), { raw: { width, height, channels: 3 } }).png().toBuffer();
  },
  /** The start of an MP4: an `ftyp` box (brand isom), a `free` box, then media bytes. */
  mp4(): Buffer {
    const ftyp = Buffer.concat([u32(24), Buffer.from('ftypisom'), u32(0x200), Buffer.from('isomiso2')]);
    const free = Buffer.concat([u32(8), Buffer.from('free')]);
    const mdat = Buffer.concat([u32(8 + 4096), Buffer.from('mdat'), Buffer.alloc(4096, 0x5a)]);
    return Buffer.concat([ftyp, free, mdat]);
  },
  pdf(): Buffer {
    return Buffer.from(
      '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n' +
        'trailer\n<< /Root 1 0 R >>\n%%EOF\n',
    );
  },
  text(): Buffer {
    return Buffer.from('Witness statement.\nI saw a man in a grey hoodie leave without paying at about 14:05 — €75 of razors.\n');
  },
  /** A real ELF executable from this machine. */
  elf(): Buffer {
    return readFileSync('/bin/true');
  },
  /** A valid zip holding one stored file. */
  zip(): Buffer {
    const name = Buffer.from('statement.txt');
    const data = Buffer.from('hello');
    const crc = crc32(data);
    const local = Buffer.concat([u32le(0x04034b50), u16le(20), u16le(0), u16le(0), u16le(0), u16le(0), u32le(crc), u32le(data.length), u32le(data.length), u16le(name.length), u16le(0), name, data]);
    const central = Buffer.concat([
      u32le(0x02014b50), u16le(20), u16le(20), u16le(0), u16le(0), u16le(0), u16le(0), u32le(crc), u32le(data.length), u32le(data.length),
      u16le(name.length), u16le(0), u16le(0), u16le(0), u16le(0), u32le(0), u32le(0), name,
    ]);
    const end = Buffer.concat([u32le(0x06054b50), u16le(0), u16le(0), u16le(1), u16le(1), u32le(central.length), u32le(local.length), u16le(0)]);
    return Buffer.concat([local, central, end]);
  },
};

function gradient(width: number, height: number): Buffer {
  const px = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      px[i] = (x * 255) / width;
      px[i + 1] = (y * 255) / height;
      px[i + 2] = ((x + y) * 7) % 256;
    }
  return px;
}
const u32 = (n: number) => Buffer.from([(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
const u32le = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};
const u16le = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
};

export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** The stack's Azurite, reached directly with the account key (for what the API never shows). */
export function storage(): BlobServiceClient {
  return BlobServiceClient.fromConnectionString(process.env.AzureWebJobsStorage!);
}

export async function blobBytes(container: string, name: string): Promise<Buffer | undefined> {
  try {
    return await storage().getContainerClient(container).getBlobClient(name).downloadToBuffer();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}

/** PUT to a SAS URL as a browser or a camera would: one request, the blob type header only. */
export async function putBlob(url: string, bytes: Buffer): Promise<number> {
  const res = await fetch(url, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: bytes });
  await res.arrayBuffer();
  return res.status;
}

export interface Declared {
  fileName: string;
  contentType: string;
  size: number;
  sha256?: string;
  kind: 'cctv' | 'image' | 'witness-statement' | 'other';
}

export async function declare(token: string, eventId: string, body: Declared) {
  const res = await call('POST', `/api/v1/events/${eventId}/evidence`, { token, body });
  if (res.status !== 201) throw new Error(`declare: ${res.status} ${res.text}`);
  return res.body as { evidenceId: string; uploadUrl: string; expiresAt: string; uploadHeaders: Record<string, string> };
}

/** Waits until processing has turned the item final (the local host polls Azurite every 0.5 s). */
export async function settled(token: string, evidenceId: string, timeoutMs = 30_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call('GET', `/api/v1/evidence/${evidenceId}`, { token });
    if (res.status !== 200) throw new Error(`get evidence: ${res.status} ${res.text}`);
    if (res.body.status !== 'pending') return res.body;
    if (Date.now() > deadline) throw new Error(`evidence ${evidenceId} still pending after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** `<retailer>/<evidence id>`, from an upload URL (…/evidence-uploads/<retailer>/<id>?sas). */
export function uploadNameOf(url: string): string {
  return new URL(url).pathname.split('/').slice(-2).join('/');
}

/** Waits until the upload blob is gone: the processor's last step. */
export async function uploadRemoved(name: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const blob = storage().getContainerClient('evidence-uploads').getBlobClient(name);
  while (await blob.exists()) {
    if (Date.now() > deadline) throw new Error(`upload ${name} still there after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Declares, uploads through the URL the API gave, and waits for the verdict. */
export async function submit(token: string, eventId: string, bytes: Buffer, declared: Partial<Declared> = {}) {
  const body: Declared = { fileName: 'file.bin', contentType: 'image/jpeg', size: bytes.length, kind: 'image', ...declared };
  const created = await declare(token, eventId, body);
  const status = await putBlob(created.uploadUrl, bytes);
  if (status !== 201) throw new Error(`upload: ${status}`);
  await settled(token, created.evidenceId);
  await uploadRemoved(uploadNameOf(created.uploadUrl));
  return { created, evidence: await settled(token, created.evidenceId) };
}
