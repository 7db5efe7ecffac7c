// Local media → oss:// URLs (temporary-upload flow, spec §1), once per (content hash, model):
// the URL is bound to the model and valid 48 h, so an upload recorded in the ledger is reused
// until a safety margin before it expires (the server fetches the input when the task starts,
// which may be long after the submit).
import { uploadKey } from '../core/ledger/fold-ledger.js';
import type { UploadRecord } from '../core/ledger/records.js';
import type { PlannedRequest, RequestBody } from '../core/types.js';
import type { DashScopeClient } from '../dashscope/client-types.js';
import type { LedgerWriter } from '../io/ledger-file.js';
import type { Clock } from './clock.js';
import type { RequestCounters } from './request-counters.js';

export interface UploaderOptions {
  client: DashScopeClient;
  ledger: LedgerWriter;
  clock: Clock;
  runId: string;
  counters: RequestCounters;
  /** Uploads already in the ledger, keyed `sha256|model`. */
  known: ReadonlyMap<string, UploadRecord>;
  /** How long an oss:// URL stays valid on the server (48 h; scaled on the emulator), ms. */
  validityMs: number;
  /** Reuse a URL only if it stays valid at least this long, ms. */
  safetyMarginMs: number;
}

export class MediaUploader {
  private readonly urls = new Map<string, { url: string; expiresAtMs: number }>();
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(private readonly o: UploaderOptions) {
    for (const [k, r] of o.known) this.urls.set(k, { url: r.url, expiresAtMs: Date.parse(r.expiresAt) });
  }

  /** The body to POST: every `local:` placeholder replaced by its oss:// URL. */
  async resolveBody(req: PlannedRequest): Promise<{ body: RequestBody; ossResolve: boolean }> {
    const body = structuredClone(req.body);
    for (const m of req.localMedia) {
      const url = await this.urlFor(m.sha256, req.model, m.absPath);
      setPointer(body as unknown as Record<string, unknown>, m.bodyPointer, url);
    }
    // Any oss:// input (uploaded here or written by the user) needs the resolve header (spec §1).
    return { body, ossResolve: JSON.stringify(body).includes('"oss://') };
  }

  private urlFor(sha256: string, model: string, absPath: string): Promise<string> {
    const k = uploadKey(sha256, model);
    const cached = this.urls.get(k);
    if (cached && cached.expiresAtMs - this.o.clock.now() > this.o.safetyMarginMs) return Promise.resolve(cached.url);
    const running = this.inFlight.get(k);
    if (running) return running;
    const p = (async () => {
      this.o.counters.upload++;
      const res = await this.o.client.upload({ path: absPath }, model);
      const now = this.o.clock.now();
      const expiresAtMs = Math.min(res.expiresAt.getTime(), now + this.o.validityMs);
      await this.o.ledger.append({
        t: 'upload',
        at: new Date(now).toISOString(),
        runId: this.o.runId,
        sha256,
        model,
        url: res.url,
        expiresAt: new Date(expiresAtMs).toISOString(),
      });
      this.urls.set(k, { url: res.url, expiresAtMs });
      return res.url;
    })();
    this.inFlight.set(k, p);
    void p.then(
      () => this.inFlight.delete(k),
      () => this.inFlight.delete(k),
    );
    return p;
  }

  /** Forget a URL the server refused (expired early): the next use uploads again. */
  forget(sha256: string, model: string): void {
    this.urls.delete(uploadKey(sha256, model));
  }
}

/** Sets `value` at a JSON pointer (`/input/media/0/url`) that must already exist. */
export function setPointer(root: Record<string, unknown>, pointer: string, value: unknown): void {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: unknown = root;
  for (let i = 0; i < parts.length - 1; i++) {
    node = (node as Record<string, unknown>)[parts[i]!];
    if (node === null || typeof node !== 'object') throw new Error(`no object at ${pointer}`);
  }
  (node as Record<string, unknown>)[parts[parts.length - 1]!] = value;
}
