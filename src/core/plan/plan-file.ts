// The content of `plan/<shot id>.json`: what a run would POST for the shot, where, and why the
// body looks as it does. Machine-independent (no absolute paths) so plans diff cleanly in git.
import type { PlannedRequest } from '../types.js';
import { urlKind } from '../manifest/url-kind.js';

export interface PlanFile {
  shotId: string;
  method: 'POST';
  /** Full URL for the configured region (or base URL override). */
  url: string;
  endpoint: string;
  /** Headers a run sends; the API key is shown as a placeholder, never its value. */
  headers: Record<string, string>;
  body: PlannedRequest['body'];
  /** Local files uploaded at run time; their `local:` placeholders become oss:// URLs. */
  localMedia: { bodyPointer: string; path: string; sha256: string; bytes: number }[];
  key: string;
  tier: PlannedRequest['tier'];
  billableSeconds: number;
  estimatedCost?: number;
  /** Parameters filled in from server defaults (and the derived seed). */
  pinned: string[];
  seedDerived: boolean;
}

export interface PlanFileContext {
  baseUrl: string;
  workspace?: string;
}

export function planFile(plan: PlannedRequest, ctx: PlanFileContext): PlanFile {
  const headers: Record<string, string> = {
    Authorization: 'Bearer <DASHSCOPE_API_KEY>',
    'Content-Type': 'application/json',
    // Video synthesis is asynchronous only: without this header the server answers 403.
    'X-DashScope-Async': 'enable',
  };
  if (ctx.workspace) headers['X-DashScope-WorkSpace'] = ctx.workspace;
  // Uploaded local files and oss:// inputs are only readable by the server with this header.
  if (plan.localMedia.length > 0 || usesOss(plan.body)) headers['X-DashScope-OssResourceResolve'] = 'enable';
  return {
    shotId: plan.shotId,
    method: 'POST',
    url: `${ctx.baseUrl.replace(/\/+$/, '')}${plan.endpoint}`,
    endpoint: plan.endpoint,
    headers,
    body: plan.body,
    localMedia: plan.localMedia.map((m) => ({ bodyPointer: m.bodyPointer, path: m.manifestPath, sha256: m.sha256, bytes: m.bytes })),
    key: plan.key,
    tier: plan.tier,
    billableSeconds: plan.billableSeconds,
    ...(plan.estimatedCost !== undefined ? { estimatedCost: plan.estimatedCost } : {}),
    pinned: plan.pinned,
    seedDerived: plan.seedDerived,
  };
}

function usesOss(body: PlannedRequest['body']): boolean {
  const img = body.input['img_url'];
  if (typeof img === 'string' && urlKind(img) === 'oss') return true;
  const media = body.input['media'];
  return Array.isArray(media) && media.some((m) => typeof m?.url === 'string' && urlKind(m.url) === 'oss');
}
