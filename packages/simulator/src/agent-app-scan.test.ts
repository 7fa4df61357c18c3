import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type CheckInRequest,
  type CheckInResponse,
  type CommandRecipient,
  DeviceAppRules,
  exportCommandSigningKey,
  type InstalledApp,
  signCommand,
} from '@fleetops/protocol';
import { describe, expect, it } from 'vitest';
import { DeviceAgent, type DeviceApi } from './agent';
import { generateDevice } from './facts';
import type { DevicePolicy } from './policy';
import type { ReceivedCommand } from './transport';

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const ORG_ID = '0193a5c0-0000-7000-8000-000000000001';
const DEVICE_ID = '0193a5c0-0000-7000-8000-000000000002';
const SPY_CERT = '31A6ECECD97CF39BC4126B8745CD94A7C30BF81C';

const installed = (packageId: string, version: string, certificate: string | null = null): InstalledApp => ({
  packageId,
  name: packageId,
  version,
  installer: null,
  certificate,
});

/** An Android phone of the simulator, with a few apps of our choosing. */
const base = generateDevice(3, 0);
const device = {
  ...base,
  facts: { ...base.facts, os: 'android' as const },
  apps: [
    installed('com.spotify.music', '8.9.96.476'),
    installed('com.thetruth', '3.1.2', SPY_CERT),
    installed('com.whatsapp', '2.24.23.78'),
  ],
  store: [{ app: installed('com.tencent.mm', '8.0.54'), popularity: 1 }],
};

const blocklist = (hash: string, packageIds: string[]) =>
  DeviceAppRules.parse({
    hash,
    blockedApps: [
      { certificate: SPY_CERT, label: 'TheTruthSpy', rule: 'no-stalkerware', severity: 'critical' },
      ...packageIds.map((packageId) => ({ packageId, rule: 'blocked-apps', severity: 'high' })),
    ],
  });

const sync = (): ReceivedCommand => {
  const recipient: CommandRecipient = { orgId: ORG_ID, deviceId: DEVICE_ID, enrollmentGeneration: 1 };
  const issuedAt = new Date();
  const unsigned = {
    id: randomUUID(),
    type: 'sync',
    params: {},
    issuedAt: issuedAt.toISOString(),
    expiresAt: new Date(issuedAt.getTime() + 3_600_000).toISOString(),
  };
  return { ...unsigned, signature: signCommand(privateKey, recipient, unsigned) };
};

type Answer = Partial<Pick<CheckInResponse, 'appRules' | 'policy'>> & { commands?: ReceivedCommand[] };

/**
 * A server answering the device's check-ins: `answer` sees each check-in (and the ones before) and
 * says what goes back; polls are held until the device stops.
 */
function server(answer: (body: CheckInRequest, checkIns: CheckInRequest[]) => Answer) {
  const checkIns: CheckInRequest[] = [];
  const api: DeviceApi = {
    enroll: async () => ({
      deviceId: DEVICE_ID,
      credential: 'dev_secret',
      org: { id: ORG_ID, name: 'Acme' },
      mode: 'COBO',
      checkInIntervalSeconds: 3600,
      enrollmentGeneration: 1,
      commandSigningKey: exportCommandSigningKey(publicKey),
    }),
    checkIn: async (_credential, body) => {
      checkIns.push(structuredClone(body));
      const { commands = [], policy = null, appRules } = answer(body, checkIns);
      return { commands, checkInIntervalSeconds: 3600, policy, ...(appRules && { appRules }) };
    },
    poll: (_credential, _wait, signal) =>
      new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    reportResult: async () => {},
    uploadEvents: async (_credential, body) => ({
      accepted: body.events.length,
      duplicates: 0,
      dropped: [],
      rejected: [],
    }),
  };
  return { api, checkIns };
}

/**
 * Starts a device on `api`, waits until it made `count` check-ins and a moment more (for any it
 * should not make), then stops it.
 */
async function run(api: DeviceApi, checkIns: CheckInRequest[], count: number) {
  const agent = new DeviceAgent({
    device,
    transport: api,
    enrollmentToken: 'fo_enr_test',
    consentChanges: false,
  });
  expect(await agent.start()).toBe(true);
  for (let waited = 0; checkIns.length < count && waited < 100; waited++) await sleep(50);
  await sleep(300);
  await agent.stop();
  return checkIns.map((body) => body.appScan);
}

describe('the device scans its apps against the blocklist the server sends', () => {
  it('at login: once the first check-in brings the blocklist, it checks in again with its findings', async () => {
    const rules = blocklist('h1', ['com.whatsapp']);
    const { api, checkIns } = server((body) => (body.appScan?.rulesHash === 'h1' ? {} : { appRules: rules }));
    const [first, second, ...more] = await run(api, checkIns, 2);
    expect(first).toBeUndefined();
    expect(second).toMatchObject({
      rulesHash: 'h1',
      trigger: 'login',
      findings: [
        { packageId: 'com.thetruth', version: '3.1.2', rule: 'no-stalkerware' },
        { packageId: 'com.whatsapp', version: '2.24.23.78', rule: 'blocked-apps' },
      ],
    });
    expect(Date.parse(second!.scannedAt)).toBeGreaterThan(Date.now() - 60_000);
    // The server has the scan against its current blocklist: nothing more to send.
    expect(more).toEqual([]);
  });

  it('at each later check-in, and at once against a new blocklist', async () => {
    const { api, checkIns } = server((body, all) => {
      if (!body.appScan) return { appRules: blocklist('h1', []) };
      // A sync command makes the device check in again, as its interval would.
      if (all.length === 2) return { commands: [sync()] };
      if (all.length === 3) return { appRules: blocklist('h2', ['com.spotify.music']) };
      return {};
    });
    const scans = await run(api, checkIns, 4);
    expect(
      scans.map((scan) => scan && [scan.trigger, scan.rulesHash, scan.findings.map((f) => f.packageId)]),
    ).toEqual([
      undefined,
      ['login', 'h1', ['com.thetruth']],
      ['check-in', 'h1', ['com.thetruth']],
      ['check-in', 'h2', ['com.spotify.music', 'com.thetruth']],
    ]);
  });

  it('when a policy installs an app: the check-in that reports the install carries a scan of it', async () => {
    const policy: DevicePolicy = {
      hash: 'p1',
      settings: {
        restrictions: {},
        passwordRequirements: {},
        applications: [{ packageName: 'com.tencent.mm', rule: 'required' }],
        audit: {},
        retention: {},
      },
    };
    const { api, checkIns } = server((body) => {
      if (!body.appScan) return { appRules: blocklist('h1', ['com.tencent.mm']) };
      return { policy };
    });
    const scans = await run(api, checkIns, 3);
    expect(scans[2]).toMatchObject({
      trigger: 'install',
      findings: [
        { packageId: 'com.tencent.mm', rule: 'blocked-apps' },
        { packageId: 'com.thetruth', rule: 'no-stalkerware' },
      ],
    });
    expect(checkIns[2]!.apps?.map((app) => app.packageId)).toContain('com.tencent.mm');
  });
});
