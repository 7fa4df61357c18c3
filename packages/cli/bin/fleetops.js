#!/usr/bin/env -S node --max-semi-space-size=1
// Installed as the `fleetops` command before the build runs, so npm can link it; the CLI itself is dist/bin.js.
// A young generation of 1 MB keeps streaming exports and the server near 110 MB instead of 180 MB:
// the data passes through in small pieces, so collecting it more often costs little.
import('../dist/bin.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/bin.js')) {
    process.stderr.write('error: fleetops is not built yet: run `npm run build` in the repository\n');
    process.exit(1);
  }
  throw error;
});
