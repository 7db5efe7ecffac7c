// Help text of `pixverse report`: a module of its own, so that `pixverse report --help` loads nothing else.
export const USAGE = `Usage: pixverse report <manifest.yaml> [options]

Regenerates <output>/<name>/report.json, report.md and index.html from the ledger.

Options:
  --json               print the report (report.json's content) instead of a summary
  --config <file>      use this config file instead of searching for pixverse.config.ts
  --region <region>    region to report when no run was recorded yet
  --output-dir <dir>   override the output base (OUTPUT_DIR, config outputDir)
  --emulator           the report of \`pixverse run --emulator\` (kept apart from real ones)
  -h, --help           show this help

Exit codes: 0 written, 2 invalid manifest or usage, 3 configuration error.`;
