// Local media → oss:// URLs (temporary-upload flow, spec §1), once per (content hash, model):
// the URL is bound to the model and valid 48 h, so an upload recorded in the ledger is reused
// until a safety margin before it expires (the server fetches the input when the task starts,
// which may be long after the submit).
import { uploadKey } from '../core/ledger/fold-ledger.js';
import type { UploadRecord } from '../core/ledger/records.js';
import type { PlannedRequest, RequestBody } from '../core/types.js';
import type { Clock } from './clock.js';
import type { RequestCounters } from './request-counters.js';
import type { LedgerSink, TaskService } from './ports.js';

export interface UploaderOptions {
  client: Pick<TaskService, 'upload'>;
  ledger: LedgerSink;
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

  /**
   * The body to POST: every `local:` placeholder replaced by its oss:// URL. `uploads` lists the
   * URLs substituted (what `forget` needs if the server refuses one).
   */
  async resolveBody(req: PlannedRequest): Promise<{ body: RequestBody; ossResolve: boolean; uploads: UsedUpload[] }> {
    const body = structuredClone(req.body);
    const uploads: UsedUpload[] = [];
    for (const m of req.localMedia) {
      const url = await this.urlFor(m.sha256, req.model, m.absPath);
      setPointer(body as unknown as Record<string, unknown>, m.bodyPointer, url);
      uploads.push({ sha256: m.sha256, model: req.model, url });
    }
    return { body, ossResolve: needsOssResolve(body), uploads };
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

  /**
   * Forget URLs the server refused (expired early, or unknown to a new server session): the next
   * use uploads again. Recorded in the ledger as an `upload` record of the same URL that expires
   * at once, so a later run does not reuse it either. A URL another shot already replaced is
   * left alone (two shots sharing a file re-upload it once).
   */
  async forget(used: readonly UsedUpload[]): Promise<void> {
    const now = this.o.clock.now();
    for (const u of used) {
      const k = uploadKey(u.sha256, u.model);
      if (this.urls.get(k)?.url !== u.url) continue;
      this.urls.delete(k);
      const at = new Date(now).toISOString();
      await this.o.ledger.append({ t: 'upload', at, runId: this.o.runId, sha256: u.sha256, model: u.model, url: u.url, expiresAt: at });
    }
  }
}

/** Any oss:// input (uploaded here or written by the user) needs the resolve header (spec §1). */
export function needsOssResolve(body: RequestBody): boolean {
  return JSON.stringify(body).includes('"oss://');
}

/** One oss:// URL substituted into a body. */
export interface UsedUpload {
  sha256: string;
  model: string;
  url: string;
}

/** Error codes of an input the server could not fetch or read (spec §1, §4). */
const INPUT_URL_CODES: ReadonlySet<string> = new Set(['InvalidURL', 'InvalidURL.Timeout', 'BadRequest.InputDownloadFailed', 'InvalidParameter.DataInspection']);

/**
 * Did the server refuse the submit because of an uploaded oss:// input (expired or unknown
 * before our recorded 48 h)? Only a 4xx counts, so provably no task was created (401, 404 and
 * 429 mean something else); then the message names one of the URLs, or the code is an input-URL
 * code, or the message speaks of an oss resource, an expiry or a failed download. Pure.
 */
export function isOssRefusal(f: { errorClass: string; httpStatus?: number; code: string; message: string }, urls: readonly string[]): boolean {
  if (urls.length === 0 || f.errorClass !== 'fatal' || f.httpStatus === undefined) return false;
  if (f.httpStatus < 400 || f.httpStatus >= 500 || f.httpStatus === 401 || f.httpStatus === 404 || f.httpStatus === 429) return false;
  if (urls.some((u) => f.message.includes(u))) return true;
  if (INPUT_URL_CODES.has(f.code)) return true;
  return /oss:\/\/|oss resource|expired|download/i.test(f.message);
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
