// How the engine learns that tasks ended. `TaskWatcher` is the seam: the run uses the shared
// list poller below; the benchmark plugs in the official SDK's per-task schedule as a baseline.
import type { TaskView } from '../core/task/task-view.js';
import type { TaskStatus } from '../core/types.js';

export { FINAL_STATUSES } from '../core/task/task-view.js';

export interface WatchTarget {
  taskId: string;
  shot: string;
  model: string;
  /** Quota family (catalog `quota.family`). */
  family: string;
  /** Local ms when the task was submitted (or, for a re-attached task, first known). */
  submittedAtMs: number;
  /** Last status known (from the ledger when re-attached). */
  status?: TaskStatus;
  /** False for re-attached tasks: their age is unknown, so they teach nothing about durations. */
  fresh: boolean;
}

export interface TaskObservation {
  status: TaskStatus;
  /** The GET response, when the observation came from one (list rows carry no result). */
  response?: TaskView;
  /** Tasks of the same family queued ahead, plus one; when the task list shows it. */
  queuePosition?: number;
}

export interface TaskWatcher {
  /**
   * Resolves with the task's final GET response (SUCCEEDED, FAILED, CANCELED or UNKNOWN) once it is
   * final. `onChange` is awaited for every change of status or queue position before the watch
   * goes on (the engine records each state in the ledger). Rejects with the signal's reason when
   * it aborts, or with the client's error when the task cannot be queried at all (e.g. 401).
   */
  watch(target: WatchTarget, onChange: (o: TaskObservation) => Promise<void>, signal?: AbortSignal): Promise<TaskView>;
  /** Stops the polling loop; pending watches reject. */
  close(): void;
}
