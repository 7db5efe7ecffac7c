// The shot key: the content address of a render. Same key ⇒ same request ⇒ the video on disk
// is current. It covers the endpoint and the full body, with every local media placeholder
// replaced by the hash of the file's bytes (so editing an image re-renders the shot, while
// moving the file does not).
import { createHash } from 'node:crypto';
import type { LocalMedia, RequestBody } from '../types.js';
import { pointerSegments } from '../manifest/json-pointer.js';
import { canonicalJson } from './canonical-json.js';

export function shotKey(endpoint: string, body: RequestBody, localMedia: readonly Pick<LocalMedia, 'bodyPointer' | 'sha256'>[]): string {
  if (localMedia.length === 0) return sha256Hex(canonicalJson({ endpoint, body }));
  // Copy only the containers on the way to each placeholder; the rest is shared, not cloned.
  let keyed = body as unknown as Record<string, unknown>;
  for (const m of localMedia) keyed = setAtPointer(keyed, pointerSegments(m.bodyPointer), `sha256:${m.sha256}`) as Record<string, unknown>;
  return sha256Hex(canonicalJson({ endpoint, body: keyed }));
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A copy of `node` with `value` at the path; containers on the path are copied, never mutated. */
function setAtPointer(node: unknown, segments: readonly string[], value: unknown): unknown {
  if (segments.length === 0) return value;
  const [head, ...rest] = segments as [string, ...string[]];
  if (Array.isArray(node)) {
    const copy = [...node];
    copy[Number(head)] = setAtPointer(copy[Number(head)], rest, value);
    return copy;
  }
  const obj = (node ?? {}) as Record<string, unknown>;
  return { ...obj, [head]: setAtPointer(obj[head], rest, value) };
}
