// The baseline the run benchmark compares against: the official SDK's `wait()` (spec §2), one
// loop per task polling GET /tasks/{id} after 1,1,2,2,2,4,4,4,5,5… s (scaled to the emulator's
// time), with no shared rate limit — as the SDK does. Only the watcher differs between the two
// runs; quotas, submits and downloads go through the same engine.
import { sdkWaitIntervalSeconds } from '../src/core/task/poll-schedule.js';
import type { TaskView } from '../src/core/task/task-view.js';
import type { WatcherContext } from '../src/engine/run-options.js';
import { FINAL_STATUSES } from '../src/engine/task-watcher.js';
import type { TaskObservation, TaskWatcher, WatchTarget } from '../src/engine/task-watcher.js';

export function createSdkWaitWatcher(ctx: WatcherContext): TaskWatcher {
  const stop = new AbortController();
  return {
    async watch(target: WatchTarget, onChange: (o: TaskObservation) => Promise<void>, signal?: AbortSignal): Promise<TaskView> {
      let status = target.status;
      for (let n = 1; ; n++) {
        await ctx.clock.sleep(sdkWaitIntervalSeconds(n) * 1000 * ctx.options.serverTimeScale, signal ?? stop.signal);
        let res: TaskView;
        try {
          ctx.counters.getTask++;
          res = await ctx.client.getTask(target.taskId);
        } catch {
          continue; // the SDK retries 503/504 and would surface the rest; keep polling for the comparison
        }
        const s = res.status;
        if (s !== status || FINAL_STATUSES.has(s)) {
          status = s;
          await onChange({ status: s, response: res });
        }
        if (FINAL_STATUSES.has(s)) return res;
      }
    },
    close() {
      stop.abort();
    },
  };
}
