// Help text of `pixverse emulator`: a module of its own, so that `pixverse emulator --help` loads nothing else.
import { FAULT_ENDPOINTS, FAULT_KINDS } from '../../emulator/rate-faults.js';
import { MARKER_HELP } from '../../emulator/markers.js';

export const HELP = `Usage: pixverse emulator [options]

Start a local DashScope-compatible server (loopback HTTP) for offline runs and tests.

Options:
  --port N           port to listen on (default: a free port)
  --host H           address to bind (default 127.0.0.1; loopback only: 127.x, ::1, localhost)
  --time-scale X     real seconds per emulated second: 1 = realistic task times,
                     0.01 = 100x faster (default 1)
  --seed N           seeds task durations and random faults (default 1)
  --api-key K        the one key the emulator accepts (default sk-emulator-key)
  --faults LIST      rate-based faults, endpoint:kind[=ms]@rate joined by commas,
                     e.g. "submit:429@0.1,getTask:503@0.05,download:slow=200@0.2"
                     endpoints: ${FAULT_ENDPOINTS.join(', ')}
                     kinds: ${FAULT_KINDS.join(', ')}
  --disputed R       rules on which two official pages disagree (v5.6-it2v at 1080P; several
                     images on it2v): strict = refuse, as the stricter page says (default);
                     lenient = accept, as the other page says
  --unknown-keys M   request keys the docs do not list: refuse = 400 InvalidParameter, to catch
                     typos (default); ignore = accept and note them in the stats, as the official
                     SDKs' traffic suggests the service does. input.extend_prompt and
                     input.function (sent by the official SDKs) are accepted either way
  --prompt-visible W when a task starts to show its orig_prompt: succeeded = with the result
                     (default, as the spec's result shapes show), running = already while it runs
  -h, --help         show this help

Quotas as documented: per model family 5 running tasks (more wait PENDING) and 5 submits/s
(→ 429 Throttling.RateQuota); 20 task queries/s per account (GET task, list, cancel →
429 Throttling); getPolicy 100/s per model.

Fault markers: a token in input.prompt scripts what happens to that request body or task:
${MARKER_HELP.map(([syntax, effect]) => `  ${syntax.padEnd(25)}${effect}`).join('\n')}

Point a client at it with the printed base URL and key (\`pixverse run --emulator\`
starts an in-process one instead). Counters: GET <origin>/__emulator/stats.
More in src/emulator/README.md.`;
