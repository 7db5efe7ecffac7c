// Help text of `pixverse status`: a module of its own, so that `pixverse status --help` loads nothing else.
export const USAGE = `Usage: pixverse status <manifest.yaml> [options]

Shows, per shot: rendered and current, stale (and what changed), running (task id and state),
failed (code and message), recorded but missing on disk, or never rendered. Works from the
ledger under the output directory, or from the committed lock file when there is no ledger.

Options:
  --check              CI mode: exit 1 unless every shot is current (rendered, unchanged, on
                       disk); with -q nothing is printed and the exit code alone answers
  --json               print the shot states as JSON
  --refresh            ask the server for the live state of running tasks (needs the API key);
                       tasks that ended are recorded in the ledger. Nothing is submitted.
  --verify             hash and measure every video again (size, duration, frame rate, audio
                       track, read from the file) and say where it differs from the ask or
                       the server's usage (default: size check, hash only for lock-only records)
  --store <s3 url>     the object store, to say per shot whether its video is stored (also
                       shown when the ledger or lock records stored videos; --json: stored, storeError)
  --base-url <url>     API base URL for --refresh (e.g. an emulator's)
  --config <file>      use this config file instead of searching for pixverse.config.ts
  --region <region>    override the region (PIXVERSE_REGION, config region)
  --output-dir <dir>   override the output base (OUTPUT_DIR, config outputDir)
  --emulator           show the renders of \`pixverse run --emulator\` (kept apart from real ones)
  -h, --help           show this help

Exit codes: 0 answered (with --check: every shot is current), 1 with --check: some shot is not
current, 2 invalid manifest or usage, 3 configuration or auth error.`;
