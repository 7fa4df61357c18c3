import type { Handler } from '../../command';
import { record } from '../../output/view';
import { settingsColumns } from './columns';

/** Shows the org's safety settings. */
export const handler: Handler<object> = async (_opts, { client }) =>
  record(await (await client()).settings.retrieve(), settingsColumns);
