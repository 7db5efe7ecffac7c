// Help texts of `pixverse pull` and `pixverse push`: a module of their own, so that `--help` loads nothing else.
const COMMON = `  --store <s3 url>     the store (s3://bucket/prefix; over PIXVERSE_STORE and config store.url)
  --json               print the per-shot results as JSON
  --emulator           the renders of \`pixverse run --emulator\` (under <prefix>/emulator/; needs --store)
  --config <file>      use this config file instead of searching for pixverse.config.ts
  --output-dir <dir>   override the output base (OUTPUT_DIR, config outputDir)
  -h, --help           show this help`;

export const USAGE = {
  pull: `Usage: pixverse pull <manifest.yaml> [options]

Fetches from the object store every video of the manifest's current shots that is not on disk
(the ones the ledger or the committed lock file record), checks each against its sha256 and puts
it in <output>/<name>/videos/. Submits nothing: on a fresh clone with the lock committed this
replaces rendering. Credentials come from the standard AWS chain (AWS_ACCESS_KEY_ID…, AWS_PROFILE).

Options:
${COMMON}

Exit codes: 0 every recorded video is on disk, 1 some could not be pulled (not in the store, or
failed), 2 invalid manifest or usage, 3 store, config or credential problem.`,
  push: `Usage: pixverse push <manifest.yaml> [options]

Uploads to the object store every shot's video on disk that the store does not have yet (renders
made before a store was set, uploads a run could not complete), under its sha256; then rewrites
the reports and the lock file to record the stored objects and uploads the evidence.

Options:
${COMMON}

Exit codes: 0 every video on disk is stored, 1 some could not be uploaded, 2 invalid manifest or
usage, 3 store, config or credential problem (nothing uploaded).`,
};
