import type { Handler } from '../../command';
import type { ProfileSummary } from '../../config';
import { type Column, list } from '../../output/view';

const columns: Column<ProfileSummary>[] = [
  { key: 'current', header: 'CURRENT', value: (p) => (p.current ? '*' : '') },
  { key: 'name', header: 'NAME', value: (p) => p.name },
  { key: 'server', header: 'SERVER', value: (p) => p.server },
  { key: 'tokenPrefix', header: 'TOKEN', value: (p) => p.tokenPrefix },
];

/** Lists saved profiles; tokens appear only as a prefix. */
export const handler: Handler<object> = async (_opts, { config }) =>
  list(config.list(), columns, {
    emptyMessage: 'no profiles yet: fleetops login --server URL --token TOKEN',
  });
