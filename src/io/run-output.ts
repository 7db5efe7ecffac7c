// The files one run writes under `output/<manifest name>/` (see ARCHITECTURE.md): the ledger,
// the POSTed bodies, the polling snapshots and the videos. The engine reaches the disk only
// through this object, so engine tests can point it at a temporary directory.
import { appendFile, copyFile, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { VideoFacts } from '../core/evidence/video-facts.js';
import { hashFile } from './inspect-outputs.js';
import { measureVideo } from './measure-video.js';
import { LEDGER_FILE, openLedger, readLedger } from './ledger-file.js';
import type { LedgerRead, LedgerWriter } from './ledger-file.js';

export interface FileOnDisk {
  exists: boolean;
  sha256?: string;
  bytes?: number;
}

export interface RunOutput {
  /** `output/<manifest name>` (absolute). */
  readonly dir: string;
  readonly ledgerPath: string;
  /** `videos/<shot>.mp4`: named from the shot id, never from anything the server sent. */
  videoRelPath(shot: string): string;
  abs(rel: string): string;
  readLedger(): Promise<LedgerRead>;
  openLedger(): Promise<LedgerWriter>;
  /** `requests/<shot>.json`: the body actually POSTed (oss:// URLs substituted). */
  writeRequest(shot: string, body: unknown): Promise<void>;
  /** Appends one line to `snapshots/<shot>.jsonl` (in call order per shot; not fsynced: evidence, not state). */
  appendSnapshot(shot: string, entry: Record<string, unknown>): void;
  /** Resolves when every snapshot line asked for so far is written. */
  flushSnapshots(): Promise<void>;
  /** sha256 and size of a file under `dir`; `exists: false` when absent. */
  hashFile(rel: string): Promise<FileOnDisk>;
  /** sha256 and size of a file anywhere (another run folder's video a shot may reuse). */
  hashAbs(file: string): Promise<FileOnDisk>;
  /** Copies a file from anywhere to `rel` under `dir` (parents made), returning the copy's sha256 and size. */
  copyIn(fromAbs: string, toRel: string): Promise<FileOnDisk>;
  /** Makes the parent directory of `rel`. */
  ensureParent(rel: string): Promise<void>;
  /** Atomic rename within `dir` (the `.part` → final step of a download). */
  rename(fromRel: string, toRel: string): Promise<void>;
  remove(rel: string): Promise<void>;
  /** The video's own metadata (size, duration, frame rate, codecs, audio), read from its MP4 boxes. */
  measureVideo?(rel: string): Promise<VideoFacts>;
}

export function createRunOutput(dir: string): RunOutput {
  const abs = (rel: string): string => path.join(dir, rel);
  const snapshotTails = new Map<string, Promise<void>>();
  const madeDirs = new Set<string>();
  const ensureDir = async (d: string): Promise<void> => {
    if (madeDirs.has(d)) return;
    await mkdir(d, { recursive: true });
    madeDirs.add(d);
  };

  return {
    dir,
    ledgerPath: abs(LEDGER_FILE),
    videoRelPath: (shot) => path.join('videos', `${shot}.mp4`),
    abs,
    readLedger: () => readLedger(abs(LEDGER_FILE)),
    openLedger: () => openLedger(abs(LEDGER_FILE)),
    async writeRequest(shot, body) {
      const file = abs(path.join('requests', `${shot}.json`));
      await ensureDir(path.dirname(file));
      await writeFile(file, JSON.stringify(body, null, 2) + '\n');
    },
    appendSnapshot(shot, entry) {
      const file = abs(path.join('snapshots', `${shot}.jsonl`));
      const line = JSON.stringify({ at: new Date().toISOString(), ...entry }) + '\n';
      const prev = snapshotTails.get(shot) ?? Promise.resolve();
      const next = prev
        .then(async () => {
          await ensureDir(path.dirname(file));
          await appendFile(file, line);
        })
        // A snapshot is evidence, not state: a failed append must not fail the shot or the run.
        .catch(() => undefined);
      snapshotTails.set(shot, next);
      // Forget settled chains so a 1,000-shot run keeps no per-shot promise alive.
      void next.then(() => {
        if (snapshotTails.get(shot) === next) snapshotTails.delete(shot);
      });
    },
    async flushSnapshots() {
      await Promise.all([...snapshotTails.values()]);
    },
    hashFile: (rel) => hashAny(abs(rel)),
    hashAbs: hashAny,
    async copyIn(fromAbs, toRel) {
      await ensureDir(path.dirname(abs(toRel)));
      await copyFile(fromAbs, abs(toRel));
      return hashAny(abs(toRel));
    },
    async ensureParent(rel) {
      await ensureDir(path.dirname(abs(rel)));
    },
    async rename(fromRel, toRel) {
      await rename(abs(fromRel), abs(toRel));
    },
    async remove(rel) {
      await rm(abs(rel), { force: true });
    },
    measureVideo: (rel) => measureVideo(abs(rel)),
  };
}

async function hashAny(file: string): Promise<FileOnDisk> {
  let bytes: number;
  try {
    const s = await stat(file);
    if (!s.isFile()) return { exists: false };
    bytes = s.size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false };
    throw e;
  }
  return { exists: true, sha256: await hashFile(file), bytes };
}
