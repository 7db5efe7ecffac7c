// The package's root directory (where package.json, schemas/ and jobs/ live). Compiled code
// sits at <root>/<outDir>/src/package-root.js, so the root is two levels up from here.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
