import { readFile, rename, writeFile } from 'node:fs/promises';
import {
  AppliedPolicyReport,
  CommandResultRequest,
  CommandSigningKey,
  ConsentGrants,
  DeviceState,
  EffectivePolicy,
  InstalledApp,
  Uuid,
} from '@fleetops/protocol';
import { z } from 'zod';

const StoredDevice = z.object({
  deviceId: Uuid,
  credential: z.string().min(1),
  /** Absent in files written before commands were signed. */
  orgId: Uuid.optional(),
  commandSigningKey: CommandSigningKey.optional(),
  /** Absent in files written before commands were signed for a generation: taken as the first. */
  enrollmentGeneration: z.number().int().positive().default(1),
  state: DeviceState,
  executed: z
    .array(z.tuple([z.string(), CommandResultRequest.extend({ status: z.enum(['succeeded', 'failed']) })]))
    .default([]),
  removedApps: z.array(z.string()).default([]),
  /** Apps installed or updated by a policy. */
  addedApps: z.array(InstalledApp).default([]),
  /** The policy the device runs; absent in files from before policies: none applied. */
  policy: z
    .object({
      hash: AppliedPolicyReport.shape.hash,
      settings: EffectivePolicy.shape.settings,
      failures: AppliedPolicyReport.shape.failures,
    })
    .optional(),
  /** The user's permission grants; absent in files from before they could change: those of the generated device. */
  consent: ConsentGrants.optional(),
  /** Wiped or retired on command: the device does not come back. */
  gone: z.enum(['wiped', 'retired']).optional(),
});

/** The simulator's own file: which device (by fleet index) enrolled as what. */
export const FleetStateFile = z.object({
  version: z.literal(1),
  seed: z.number().int(),
  devices: z.record(z.string().regex(/^\d+$/), StoredDevice),
});
export type FleetStateFile = z.infer<typeof FleetStateFile>;

/** Reads a state file; undefined when it does not exist yet. */
export async function loadFleetState(path: string): Promise<FleetStateFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not a fleet state file: ${(error as Error).message}`);
  }
  const parsed = FleetStateFile.safeParse(json);
  if (!parsed.success) throw new Error(`${path} is not a fleet state file: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Writes a state file atomically: a crash leaves either the old or the new file, never half of one. */
export async function saveFleetState(path: string, state: FleetStateFile): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(state)}\n`, { mode: 0o600 });
  await rename(temporary, path);
}

/** Writes the state file at most about once per `intervalMs`, and on demand with `flush`. */
export interface StateSaver {
  schedule(): void;
  flush(): Promise<void>;
}

export function createStateSaver(
  path: string,
  collect: () => FleetStateFile,
  intervalMs = 1_000,
): StateSaver {
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    writing = writing.catch(() => {}).then(() => saveFleetState(path, collect()));
    return writing;
  };
  return {
    schedule() {
      timer ??= setTimeout(() => void flush().catch(() => {}), intervalMs).unref();
    },
    flush,
  };
}
