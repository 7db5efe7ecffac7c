// The text `pixverse init` writes: a small valid manifest with the schema modeline, so an editor
// running yaml-language-server completes and checks it from the first keystroke.

export interface StarterOptions {
  /** The manifest's `name` (outputs go to output/<name>/); already a safe name. */
  name: string;
  /** The schema as the modeline should name it: a path relative to the manifest, `/`-separated. */
  schemaPath: string;
}

/** A safe manifest name from a file name: `My Shots.yaml` → `my-shots`. */
export function manifestNameOf(fileBase: string): string {
  const name = fileBase
    .replace(/\.ya?ml$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '')
    .slice(0, 100);
  return name || 'shots';
}

export function starterManifest(o: StarterOptions): string {
  return `# yaml-language-server: $schema=${o.schemaPath}
#
#   pixverse validate <this file>            # every issue at once, file:line:col
#   pixverse plan <this file>                # the exact requests, billable seconds, cost
#   pixverse run <this file> --emulator      # a full run on the built-in emulator, nothing billed
version: 1
name: ${o.name}                  # outputs go to output/${o.name}/

defaults:                        # any shot field; a shot's own value wins
  audio: false
  watermark: false

shots:
  - id: opening                  # letters, digits, . _ - ; the video is videos/opening.mp4
    model: pixverse/pixverse-v6-t2v
    prompt: Aerial shot over a quiet fishing harbour at dawn, mist on the water, slow push-in.
    size: 1280*720               # from the model's size table (the editor lists them)
    duration: 5                  # seconds: 1-15 on v6
    seed: [11, 12]               # a list sweeps the shot: opening@seed=11, opening@seed=12
`;
}
