/** How long one remote reference may take, answer and body together. */
export const REMOTE_TIMEOUT_MS = 10_000;

export type Fetched = { ok: true; text: string; mimeType?: string } | { ok: false; reason: string };

/**
 * Fetches an http(s) document within a time and a byte limit: the body is streamed and dropped as
 * soon as it passes the limit, whatever Content-Length said.
 */
export async function fetchDocument(url: string, limits: { maxBytes: number; timeoutMs: number }): Promise<Fetched> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(limits.timeoutMs) });
  } catch (cause) {
    return { ok: false, reason: failureReason(cause, limits.timeoutMs) };
  }
  if (!response.ok) {
    await response.body?.cancel();
    return { ok: false, reason: `the server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}` };
  }
  const declared = Number(response.headers.get('content-length'));
  if (declared > limits.maxBytes) {
    await response.body?.cancel();
    return { ok: false, reason: tooLarge(limits.maxBytes) };
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    if (response.body) {
      for await (const chunk of response.body) {
        total += chunk.byteLength;
        // Leaving the loop cancels the stream: nothing more is downloaded.
        if (total > limits.maxBytes) return { ok: false, reason: tooLarge(limits.maxBytes) };
        chunks.push(chunk);
      }
    }
  } catch (cause) {
    return { ok: false, reason: failureReason(cause, limits.timeoutMs) };
  }
  const mimeType = response.headers.get('content-type') ?? undefined;
  return { ok: true, text: Buffer.concat(chunks).toString('utf8'), ...(mimeType !== undefined && { mimeType }) };
}

function tooLarge(maxBytes: number): string {
  return `the document is larger than the limit of ${maxBytes / (1024 * 1024)} MiB`;
}

function failureReason(cause: unknown, timeoutMs: number): string {
  if (cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError')) return `no complete answer within ${timeoutMs / 1000} s`;
  const reason = cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause);
  return `could not be fetched: ${reason}`;
}
