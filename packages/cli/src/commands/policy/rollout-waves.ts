import { WaveSize } from '@fleetops/protocol';
import { UsageError } from '../../errors';

/** The sizes of `--waves` (already split at commas), checked: up to 20 percents or device counts. */
export function checkWaves(sizes: string[] | undefined): string[] {
  if (!sizes) {
    throw new UsageError("required option '--waves <sizes>' not specified", 'e.g. --waves 1%,10%,50%,100%');
  }
  const wrong = sizes.find((size) => !WaveSize.safeParse(size).success);
  if (wrong !== undefined || sizes.length > 20) {
    throw new UsageError(
      `option '--waves <sizes>' ${wrong === undefined ? 'has more than 20 waves' : `has ${JSON.stringify(wrong)}`}: ` +
        'each wave is a percent such as 10% or a device count such as 50',
      'e.g. --waves 1%,10%,50%,100%',
    );
  }
  return sizes;
}
