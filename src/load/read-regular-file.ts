import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { DOCUMENT_LIMITS } from './document-limits.js';

/** A file's text, or why it was not read. */
export type FileRead = { ok: true; text: string } | { ok: false; reason: 'missing' | 'not-a-file' | 'too-large'; detail?: string };

/**
 * Reads a regular file of at most DOCUMENT_LIMITS.maxBytes. Opened without blocking, so a fifo is
 * refused instead of waiting for a writer; a device (`/dev/zero`, `/dev/urandom`) or a directory is
 * refused before a byte is read; a file that grows while read stops at the limit.
 */
export async function readRegularFile(path: string): Promise<FileRead> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, reason: 'missing' };
    if (code === 'EISDIR') return { ok: false, reason: 'not-a-file', detail: 'a directory' };
    return { ok: false, reason: 'missing', detail: (cause as Error).message };
  }
  try {
    const stats = await handle.stat();
    if (stats.isDirectory()) return { ok: false, reason: 'not-a-file', detail: 'a directory' };
    if (!stats.isFile()) return { ok: false, reason: 'not-a-file', detail: 'a device, fifo or socket' };
    if (stats.size > DOCUMENT_LIMITS.maxBytes) return { ok: false, reason: 'too-large' };
    const buffer = Buffer.alloc(Math.min(stats.size, DOCUMENT_LIMITS.maxBytes) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) {
        // Longer than stat said (a file still being written, or /proc): read on up to the limit.
        if (length > DOCUMENT_LIMITS.maxBytes) return { ok: false, reason: 'too-large' };
        return readOn(handle, buffer.subarray(0, length));
      }
    }
    return { ok: true, text: buffer.toString('utf8', 0, length) };
  } finally {
    await handle.close();
  }
}

async function readOn(handle: Awaited<ReturnType<typeof open>>, start: Buffer): Promise<FileRead> {
  const chunks = [start];
  let total = start.length;
  const chunk = Buffer.alloc(64 * 1024);
  for (;;) {
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, total);
    if (bytesRead === 0) return { ok: true, text: Buffer.concat(chunks).toString('utf8') };
    total += bytesRead;
    if (total > DOCUMENT_LIMITS.maxBytes) return { ok: false, reason: 'too-large' };
    chunks.push(Buffer.from(chunk.subarray(0, bytesRead)));
  }
}
