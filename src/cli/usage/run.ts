// Help text of `pixverse run`: a module of its own, so that `pixverse run --help` loads nothing else.
export const USAGE = `Usage: pixverse run <manifest.yaml> [options]

Renders the shots of a manifest: uploads local media, submits within the account's quotas,
polls, downloads each video to <output>/<name>/videos/<shot>.mp4 and writes the reports and
the lock file. Re-running the same command resumes; shots already rendered are skipped.

Options:
  --only <ids>         only these shots: ids or globs on expanded ids (hero@*), comma-separated or repeated
  --force              render again even shots that are up to date or failed
  --retry-failed       resubmit shots whose task ended FAILED or UNKNOWN, whose submit was refused,
                       or whose video (from the ledger or the lock file) can no longer be downloaded
  --cancel-pending     on Ctrl-C, cancel tasks still queued (PENDING)
  --yes                run even if it exceeds the configured budget
  --wait               if another run holds the run folder, wait for it to end (default: refuse, exit 5)
  --break-lock         take the run folder over from a run on another host that is gone
  --emulator           run against an in-process emulator (no API key, nothing billed)
  --time-scale <x>     the server's time scale: emulator seconds per emulated second (default 0.01 with --emulator)
  --base-url <url>     send requests here (e.g. an emulator started with \`pixverse emulator\`); renders
                       from a host that is not Model Studio are kept under <run folder>/emulator/
                       (config modelStudioProxies lists proxies in front of the real service)
  --store <s3 url>     put every video and the evidence in this bucket (s3://bucket/prefix; over
                       PIXVERSE_STORE and config store.url); with --emulator, under <prefix>/emulator/
  --json               stream progress events as JSON lines
  --config <file>      use this config file instead of searching for pixverse.config.ts
  --region <region>    override the region (PIXVERSE_REGION, config region)
  --output-dir <dir>   override the output base (OUTPUT_DIR, config outputDir)
  -h, --help           show this help

Exit codes: 0 all done, 1 some shots failed (or a video is not in the store), 2 invalid manifest or
options, 3 config, auth or store error (nothing submitted), 4 over budget or unreconciled submits
(needs --yes / --force), 5 another run holds the run folder (--wait), 130 interrupted (re-run to resume).`;
