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
  const keyed = { ...body, input: { ...body.input } } as unknown as Record<string, unknown>;
  const input = keyed['input'] as Record<string, unknown>;
  if (Array.isArray(input['media'])) input['media'] = (input['media'] as object[]).map((m) => ({ ...m }));
  for (const m of localMedia) setAtPointer(keyed, m.bodyPointer, `sha256:${m.sha256}`);
  return sha256Hex(canonicalJson({ endpoint, body: keyed }));
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function setAtPointer(root: Record<string, unknown>, pointer: string, value: unknown): void {
  const segments = pointerSegments(pointer);
  let node: unknown = root;
  for (let i = 0; i < segments.length - 1; i++) node = (node as Record<string, unknown>)[segments[i]!];
  (node as Record<string, unknown>)[segments.at(-1)!] = value;
}
