// The ledger on disk: JSON lines, appended and flushed (fdatasync) one record at a time, so a
// record the engine relied on survives a crash or `kill -9` of the very next instruction.
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
 * Opens the ledger for appending. Appends are serialised: records land in call order even when
 * many shots write at once. A torn last line from an earlier crash is fenced off with a newline.
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
  let tail: Promise<void> = Promise.resolve();
  let closed = false;
  return {
    file,
    append(record) {
      if (closed) return Promise.reject(new Error('ledger is closed'));
      const line = JSON.stringify(record) + '\n';
      tail = tail.then(async () => {
        await handle.write(line);
        await handle.datasync();
      });
      return tail;
    },
    async close() {
      if (closed) return;
      closed = true;
      await tail.catch(() => undefined);
      await handle.close();
    },
  };
}
