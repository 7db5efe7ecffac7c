// What the engine needs from the world, defined on the engine's side: the engine names no
// adapter. `createDashScopeClient` (src/dashscope) is the task service, `createRunOutput` (src/io)
// the run files, the S3 store (src/store) the video store; tests may hand in their own.
import type { VideoFacts } from '../core/evidence/video-facts.js';
import type { LedgerRecord } from '../core/ledger/records.js';
import type { StoredRenderRecord } from '../core/store/store-location.js';
import type { DownloadResult, TaskListQuery, TaskRowPage, TaskView } from '../core/task/task-view.js';
import type { RequestBody } from '../core/types.js';

export interface TaskService {
  /** POST a task (X-DashScope-Async). `ossResolve`: any input URL is oss://, the server must resolve it. */
  submit(endpoint: string, body: RequestBody, opts?: { ossResolve?: boolean; signal?: AbortSignal }): Promise<TaskView>;
  getTask(taskId: string, opts?: { signal?: AbortSignal }): Promise<TaskView>;
  cancel(taskId: string): Promise<{ requestId: string }>;
  /** One page of the task list (batch query). */
  listTasks(query: TaskListQuery): Promise<TaskRowPage>;
  /** A local file to the temporary OSS space → `oss://key` (valid 48 h). */
  upload(file: { path: string; fileName?: string }, model: string): Promise<{ url: string; expiresAt: Date }>;
  /** Streams `url` to `destPath` (the caller picks `*.part` and renames), hashing as it goes. */
  download(url: string, destPath: string, opts?: { signal?: AbortSignal }): Promise<DownloadResult>;
}

/** The run's append-only ledger: each record flushed to disk before `append` resolves. */
export interface LedgerSink {
  readonly file: string;
  append(record: LedgerRecord): Promise<void>;
  close(): Promise<void>;
}

/** A file under the run folder, as found: sha256 and size when it exists. */
export interface FileOnDisk {
  exists: boolean;
  sha256?: string;
  bytes?: number;
}

/** The run folder (`output/<manifest name>/`): `createRunOutput` (src/io/run-output.ts) is the one. */
export interface RunFiles {
  /** Absolute. */
  readonly dir: string;
  /** `videos/<shot>.mp4`: named from the shot id, never from anything the server sent. */
  videoRelPath(shot: string): string;
  abs(rel: string): string;
  /** Every record, and the lines that could not be parsed (a torn last line after a crash). */
  readLedger(): Promise<{ records: LedgerRecord[]; damagedLines: number[] }>;
  openLedger(): Promise<LedgerSink>;
  /** `requests/<shot>.json`: the body actually POSTed (oss:// URLs substituted). */
  writeRequest(shot: string, body: unknown): Promise<void>;
  /** Appends one line to `snapshots/<shot>.jsonl` (in call order per shot; evidence, not state). */
  appendSnapshot(shot: string, entry: Record<string, unknown>): void;
  /** Resolves when every snapshot line asked for so far is written. */
  flushSnapshots(): Promise<void>;
  hashFile(rel: string): Promise<FileOnDisk>;
  /** sha256 and size of a file anywhere (another run folder's video a shot may reuse). */
  hashAbs(file: string): Promise<FileOnDisk>;
  /** Copies a file from anywhere to `rel` under `dir` (parents made), returning the copy's sha256 and size. */
  copyIn(fromAbs: string, toRel: string): Promise<FileOnDisk>;
  ensureParent(rel: string): Promise<void>;
  /** Atomic rename within `dir` (the `.part` → final step of a download). */
  rename(fromRel: string, toRel: string): Promise<void>;
  remove(rel: string): Promise<void>;
  /** The video's own metadata (size, duration, frame rate, codecs, audio), read from its MP4 boxes. */
  measureVideo?(rel: string): Promise<VideoFacts>;
}

/** Where each verified download is put (`src/store`'s ObjectStore satisfies it). */
export interface VideoStore {
  /** `s3://bucket/prefix`. */
  readonly url: string;
  /** Puts a local video under its content address unless the store has it (then `existed`). */
  putVideo(file: string, sha256: string, bytes: number): Promise<{ url: string; existed: boolean }>;
  /** The request key → video record (`renders/<key>.json`). */
  putRenderRecord(record: StoredRenderRecord): Promise<void>;
}

/** The store's error code (`AccessDenied`, `ECONNREFUSED`…) of a store failure; `Error` for anything else. */
export function storeErrorCode(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return e instanceof Error && e.name === 'StoreError' && typeof code === 'string' ? code : 'Error';
}
