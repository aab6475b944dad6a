// gzip of request bodies with the platform's CompressionStream (browsers and Node ≥ 18): sync
// batches shrink about five-fold, which is what keeps a synced record under 100 bytes on the wire.

/** Whether this runtime can gzip a body without any library. */
export function canGzip(): boolean {
  return typeof CompressionStream === 'function' && typeof Response === 'function';
}

/** The UTF-8 bytes of `text`, gzipped. Rejects when the runtime cannot compress. */
export async function gzipText(text: string): Promise<Uint8Array<ArrayBuffer>> {
  const source = new Response(text).body;
  if (!source) throw new Error('no body stream');
  const packed = source.pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(packed).arrayBuffer());
}
