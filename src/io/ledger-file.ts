// The ledger on disk: JSON lines, each append resolving only once its line is flushed
// (fdatasync), so a record the engine relied on survives a crash or `kill -9` of the very next
// instruction. Appends that arrive while a flush is under way share the next one (group commit):
// a thousand shots writing at once cost a few flushes, not a thousand in a row.
import { open, readFile, mkdir } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { LedgerRecord } from '../core/ledger/records.js';

export const LEDGER_FILE = 'ledger.jsonl';

export interface LedgerRead {
  records: LedgerRecord[];
  /** Lines that could not be parsed. Only a torn LAST line (a crash mid-write) is expected. */
  damagedLines: number[];
}

/** Reads every record; a missing file is an empty ledger. */
export async function readLedger(file: string): Promise<LedgerRead> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], damagedLines: [] };
    throw error;
  }
  const records: LedgerRecord[] = [];
  const damagedLines: number[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    try {
      records.push(JSON.parse(line) as LedgerRecord);
    } catch {
      damagedLines.push(i + 1);
    }
  });
  return { records, damagedLines };
}

export interface LedgerWriter {
  readonly file: string;
  /** Appends one record and flushes it to disk before resolving. */
  append(record: LedgerRecord): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens the ledger for appending. Appends land in call order even when many shots write at once;
 * those waiting for the disk are written and flushed together. A torn last line from an earlier
 * crash is fenced off with a newline. After a failed write every later append fails too.
 */
export async function openLedger(file: string): Promise<LedgerWriter> {
  await mkdir(path.dirname(file), { recursive: true });
  const handle: FileHandle = await open(file, 'a+');
  const { size } = await handle.stat();
  if (size > 0) {
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    if (last[0] !== 0x0a) await handle.write('\n');
  }
  let waiting: Array<{ line: string; resolve: () => void; reject: (e: unknown) => void }> = [];
  let flushing: Promise<void> | undefined;
  let failure: unknown;
  let closed = false;
  const flushAll = async (): Promise<void> => {
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      try {
        if (failure !== undefined) throw failure;
        await handle.write(batch.map((w) => w.line).join(''));
        await handle.datasync();
        for (const w of batch) w.resolve();
      } catch (e) {
        failure ??= e;
        for (const w of batch) w.reject(e);
      }
    }
    flushing = undefined;
  };
  return {
    file,
    append(record) {
      if (closed) return Promise.reject(new Error('ledger is closed'));
      const line = JSON.stringify(record) + '\n';
      return new Promise<void>((resolve, reject) => {
        waiting.push({ line, resolve, reject });
        flushing ??= flushAll();
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await flushing;
      await handle.close();
    },
  };
}
