#!/usr/bin/env node
// Installed as the `fleetops` command before the build runs, so npm can link it; the CLI itself is dist/bin.js.
import('../dist/bin.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/bin.js')) {
    process.stderr.write('error: fleetops is not built yet: run `npm run build` in the repository\n');
    process.exit(1);
  }
  throw error;
});
