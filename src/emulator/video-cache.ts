// The emulator's videos, made on first download and kept for the next ones. A task's video is
// drawn from its request (size, duration, frame rate, audio and the body itself), so two tasks
// of one request share a file and a re-download costs nothing. Bounded: a 1,000-shot run keeps
// only the most recent files in memory.
import type { Task } from './task-store.js';
import { deliveredVideo } from './task-view.js';
import { renderMp4, type VideoSpec } from './video/render-mp4.js';

const KEEP = 64;

export class VideoCache {
  private readonly files = new Map<string, Promise<Buffer>>();

  /** The task's MP4 (rejects when its size cannot be encoded). */
  get(task: Task): Promise<Buffer> {
    const spec = videoSpec(task);
    const key = JSON.stringify(spec);
    let file = this.files.get(key);
    if (file) {
      this.files.delete(key); // re-inserted below: most recently used last
    } else {
      file = renderMp4(spec);
      file.catch(() => this.files.delete(key));
    }
    this.files.set(key, file);
    while (this.files.size > KEEP) this.files.delete(this.files.keys().next().value!);
    return file;
  }
}

export function videoSpec(task: Task): VideoSpec {
  const seed = (task.body.parameters as Record<string, unknown> | undefined)?.seed;
  return { ...deliveredVideo(task), identity: task.bodySha256, label: typeof seed === 'number' ? String(seed) : '' };
}
