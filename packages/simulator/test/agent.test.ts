import { generateKeyPairSync, randomUUID } from 'node:crypto';
import {
  type CheckInRequest,
  type CommandRecipient,
  type CommandResultRequest,
  DEFAULT_RESTRICTIONS,
  exportCommandSigningKey,
  signCommand,
} from '@fleetops/protocol';
import { describe, expect, it } from 'vitest';
import {
  DeviceAgent,
  type DeviceApi,
  type DeviceMemory,
  type FleetEvent,
  generateDevice,
  SIGNATURE_REFUSAL,
} from '../src/index';
import type { DevicePolicy } from '../src/policy';
import type { ReceivedCommand } from '../src/transport';
import { until } from './helpers';

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const ORG_ID = '0193a5c0-0000-7000-8000-000000000001';
const DEVICE_ID = '0193a5c0-0000-7000-8000-000000000002';
const device = generateDevice(3, 0);

/** A command from the org, signed for the first enrollment of the device unless told otherwise. */
function command(
  type: string,
  params: Record<string, unknown> = {},
  enrollmentGeneration = 1,
): ReceivedCommand {
  const recipient: CommandRecipient = { orgId: ORG_ID, deviceId: DEVICE_ID, enrollmentGeneration };
  const issuedAt = new Date();
  const unsigned = {
    id: randomUUID(),
    type,
    params,
    issuedAt: issuedAt.toISOString(),
    expiresAt: new Date(issuedAt.getTime() + 3_600_000).toISOString(),
  };
  return { ...unsigned, signature: signCommand(privateKey, recipient, unsigned) };
}

/**
 * A device API that hands out `batches` of commands, the first in the answer to the first
 * check-in and the others one per check-in or poll, then holds the next poll until the device
 * stops. Every check-in is answered with `policy`.
 */
function scriptedApi(
  batches: ReceivedCommand[][],
  {
    enrollmentGeneration = 1,
    policy = null,
  }: { enrollmentGeneration?: number; policy?: DevicePolicy | null } = {},
) {
  const pending = [...batches];
  const reports: { commandId: string; body: CommandResultRequest }[] = [];
  const checkIns: CheckInRequest[] = [];
  let waiting = false;
  const api: DeviceApi = {
    enroll: async () => ({
      deviceId: DEVICE_ID,
      credential: 'dev_secret',
      org: { id: ORG_ID, name: 'Acme' },
      mode: 'COBO',
      checkInIntervalSeconds: 3600,
      enrollmentGeneration,
      commandSigningKey: exportCommandSigningKey(publicKey),
    }),
    checkIn: async (_credential, body) => {
      checkIns.push(structuredClone(body));
      return { commands: pending.shift() ?? [], checkInIntervalSeconds: 3600, policy };
    },
    poll: async (_credential, _waitSeconds, signal) => {
      const batch = pending.shift();
      if (batch) return batch;
      waiting = true;
      return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    },
    reportResult: async (_credential, commandId, body) => {
      reports.push({ commandId, body });
    },
    uploadEvents: async (_credential, body) => ({
      accepted: body.events.length,
      duplicates: 0,
      dropped: [],
      rejected: [],
    }),
  };
  return {
    api,
    /** What the device reported for one command, in order. */
    reportsOf: (commandId: string) => reports.filter((r) => r.commandId === commandId).map((r) => r.body),
    /** What the device sent in each check-in, in order. */
    checkIns,
    /** Every batch was handed out and handled: the device polls for more. */
    idle: () => waiting,
  };
}

/** Runs a device until it has handled every batch, then stops it. */
async function runDevice(script: ReturnType<typeof scriptedApi>, memory?: DeviceMemory) {
  const events: FleetEvent[] = [];
  const agent = new DeviceAgent({
    device,
    transport: script.api,
    enrollmentToken: 'fo_enr_test',
    ...(memory ? { memory } : {}),
    onEvent: (event) => events.push(event),
  });
  expect(await agent.start()).toBe(true);
  await until('the device handled every command', script.idle);
  await agent.stop();
  const executed = events.flatMap((e) => (e.type === 'command-executed' ? [e.commandId] : []));
  return { agent, events, executed };
}

describe('DeviceAgent', () => {
  it('executes a command delivered twice once, and reports its stored outcome twice', async () => {
    const ring = command('ring', { durationSeconds: 5 });
    const clear = command('clear-app-data', { packageId: 'com.example.absent' });
    // The reports reached nobody: the server hands out the same commands again.
    const script = scriptedApi([
      [ring, clear],
      [ring, clear],
    ]);

    const { executed } = await runDevice(script);

    expect(executed).toEqual([ring.id, clear.id]);
    const rang = { status: 'succeeded', result: { rangSeconds: 5 } };
    expect(script.reportsOf(ring.id)).toEqual([{ status: 'acknowledged' }, rang, rang]);
    const notInstalled = { status: 'failed', error: 'app not installed: com.example.absent' };
    expect(script.reportsOf(clear.id)).toEqual([{ status: 'acknowledged' }, notInstalled, notInstalled]);
  });

  it('reports a command delivered again with the state the device has now', async () => {
    const lock = command('lock', { message: 'Lost' });
    const message = command('message', { body: 'Call IT' });
    const script = scriptedApi([[lock], [message, lock]]);

    const { agent, executed } = await runDevice(script);

    expect(executed).toEqual([lock.id, message.id]);
    expect(agent.state).toMatchObject({ locked: true, lastMessage: { body: 'Call IT' } });
    const [, first, again] = script.reportsOf(lock.id);
    expect(first).toEqual({ status: 'succeeded', state: { ...device.state, locked: true } });
    expect(again).toEqual({ status: 'succeeded', state: agent.state });
  });

  it('does not execute again after a restart a command it ran before', async () => {
    const ring = command('ring');
    const before = await runDevice(scriptedApi([[ring]]));
    expect(before.executed).toEqual([ring.id]);

    const script = scriptedApi([[ring]]);
    const after = await runDevice(script, before.agent.memory()!);

    expect(after.events.map((e) => e.type)).toEqual(['restored']);
    expect(script.reportsOf(ring.id)).toEqual([{ status: 'succeeded', result: { rangSeconds: 30 } }]);
  });

  it('refuses a command signed for another enrollment of the same device, before and after a restart', async () => {
    const forFirst = command('lock', { message: 'Lost' }, 1);
    const forSecond = command('ring', {}, 2);
    const script = scriptedApi([[forFirst, forSecond]], { enrollmentGeneration: 2 });

    const { agent, events, executed } = await runDevice(script);

    expect(script.reportsOf(forFirst.id)).toEqual([{ status: 'failed', error: SIGNATURE_REFUSAL }]);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'command-refused', commandId: forFirst.id, reason: SIGNATURE_REFUSAL }),
    );
    expect(executed).toEqual([forSecond.id]);
    expect(agent.state.locked).toBe(false);

    const memory = agent.memory()!;
    expect(memory.enrollmentGeneration).toBe(2);
    const later = [command('lock', { message: 'Lost' }, 1), command('ring', {}, 2)];
    const restarted = await runDevice(scriptedApi([later]), memory);
    expect(restarted.executed).toEqual([later[1]!.id]);
  });
});

describe('DeviceAgent and policies', () => {
  // The device is a Pixel 6a: it has NFC and gets apps from Google Play.
  const policy: DevicePolicy = {
    hash: 'a'.repeat(64),
    settings: {
      restrictions: { cameraDisabled: true, nfcDisabled: true, locationMode: 'LOCATION_ENFORCED' },
      passwordRequirements: { passwordMinimumLength: 6 },
      applications: [
        { packageName: 'com.Slack', rule: 'blocked' },
        { packageName: 'com.google.android.keep', rule: 'required' },
        { packageName: 'com.example.inhouse', rule: 'required' },
      ],
      audit: {},
      retention: {},
    },
  };
  const report = {
    hash: policy.hash,
    failures: [{ path: 'applications[com.example.inhouse]', reason: 'not available in the store' }],
  };
  const applied = (events: FleetEvent[]) => events.filter((e) => e.type === 'policy-applied');
  const appIds = (request: CheckInRequest | undefined) => request?.apps?.map((app) => app.packageId);

  it('applies a new policy and checks in at once with its hash, failures, state and apps', async () => {
    const script = scriptedApi([], { policy });

    const { agent, events } = await runDevice(script);

    expect(script.checkIns).toHaveLength(2);
    const [first, afterApplying] = script.checkIns;
    expect(first!.policy).toBeUndefined();
    expect(afterApplying!.policy).toEqual(report);
    expect(afterApplying!.state!.restrictions).toEqual({
      ...DEFAULT_RESTRICTIONS,
      camera: 'off',
      nfc: 'off',
      forceGps: true,
    });
    expect(appIds(first)).toContain('com.Slack');
    expect(appIds(afterApplying)).not.toContain('com.Slack');
    expect(appIds(afterApplying)).toContain('com.google.android.keep');
    expect(applied(events)).toEqual([
      { type: 'policy-applied', index: 0, deviceId: DEVICE_ID, hash: policy.hash, failures: 1 },
    ]);
    expect(agent.policy).toEqual({ ...policy, ...report });

    const again = scriptedApi([], { policy });
    await runDevice(again);
    expect(again.checkIns).toEqual(script.checkIns);
  });

  it('does not apply the same policy again, and reports it at every check-in', async () => {
    // Check-in, check-in after applying, then a sync command makes a third.
    const script = scriptedApi([[], [], [command('sync')]], { policy });

    const { events } = await runDevice(script);

    expect(script.checkIns).toHaveLength(3);
    expect(applied(events)).toHaveLength(1);
    expect(script.checkIns.slice(1).map((request) => request.policy)).toEqual([report, report]);
    expect(script.checkIns[2]!.apps).toBeUndefined();
  });

  it('keeps the applied policy across a restart, and applies a changed one', async () => {
    const first = scriptedApi([], { policy });
    const before = await runDevice(first);
    const memory = before.agent.memory()!;
    expect(memory.policy?.hash).toBe(policy.hash);

    const same = scriptedApi([], { policy });
    const restarted = await runDevice(same, memory);

    expect(restarted.events.map((e) => e.type)).toEqual(['restored']);
    expect(same.checkIns).toHaveLength(1);
    expect(same.checkIns[0]!.policy).toEqual(report);
    expect(same.checkIns[0]!.state?.restrictions?.camera).toBe('off');
    expect(appIds(same.checkIns[0])).toEqual(appIds(first.checkIns[1]));

    const changed: DevicePolicy = {
      hash: 'b'.repeat(64),
      settings: { ...policy.settings, restrictions: { cameraDisabled: false } },
    };
    const next = scriptedApi([], { policy: changed });
    const later = await runDevice(next, restarted.agent.memory()!);
    expect(applied(later.events)).toEqual([expect.objectContaining({ hash: changed.hash, failures: 1 })]);
    expect(next.checkIns.at(-1)!.policy?.hash).toBe(changed.hash);
    expect(later.agent.state.restrictions.camera).toBe('on');
  });
});
