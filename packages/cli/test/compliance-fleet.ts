import type {
  ComplianceRulesDocumentInput,
  DeviceFactsInput,
  EnrollResponse,
  InstalledApp,
} from '@fleetops/protocol';
import type { RunningServer } from '@fleetops/server';
import { deviceFacts, enrollDevice } from './helpers';

/**
 * Rules a scan of {@link enrollComplianceFleet}'s devices breaks in every way a report shows:
 * an app (with a lock in 2 days), an OS version (a wipe in 5 h), a passcode (a lock due at once),
 * and a rule whose `where` matches no device.
 */
export const COMPLIANCE_RULES: ComplianceRulesDocumentInput = {
  apiVersion: 'fleetops.dev/v1',
  kind: 'ComplianceRules',
  rules: [
    {
      name: 'no-stalkerware',
      severity: 'critical',
      check: { blockedApps: [{ packageId: 'com.mspy.*', label: 'mSpy' }] },
      escalation: [{ action: 'lock', after: '2d' }],
    },
    {
      name: 'os-minimum',
      severity: 'high',
      check: { osVersion: { android: '14' } },
      escalation: [{ action: 'wipe', after: '5h' }],
    },
    {
      name: 'passcode-set',
      severity: 'medium',
      check: { passcodeSet: true },
      escalation: [{ action: 'lock', after: '0s' }],
    },
    {
      name: 'storage-encrypted',
      severity: 'low',
      where: 'group = nobody',
      check: { storageEncrypted: true },
    },
  ],
};

/** A stalkerware app as a device reports it. */
export const MSPY: InstalledApp = {
  packageId: 'com.mspy.lite',
  name: 'Update Service',
  version: '6.0.9',
  installer: null,
  certificate: null,
};

const MAPS: InstalledApp = {
  packageId: 'com.example.maps',
  name: 'Maps',
  version: '3.2.0',
  installer: 'com.android.vending',
  certificate: null,
};

/** An enrolled device and the facts it last reported. */
export interface FleetDevice {
  enrolled: EnrollResponse;
  facts: DeviceFactsInput;
}

/** Reports new facts and apps at a check-in, as the device's agent does. */
export async function reportState(
  serverUrl: string,
  device: FleetDevice,
  state: { facts?: Partial<DeviceFactsInput>; apps?: InstalledApp[] },
): Promise<void> {
  if (state.facts) device.facts = { ...device.facts, ...state.facts };
  const response = await fetch(`${serverUrl}/device/v1/checkin`, {
    method: 'POST',
    headers: { authorization: `Bearer ${device.enrolled.credential}`, 'content-type': 'application/json' },
    body: JSON.stringify({ facts: device.facts, ...(state.apps && { apps: state.apps }) }),
  });
  if (response.status !== 200)
    throw new Error(`check-in failed: ${response.status} ${await response.text()}`);
}

async function enroll(
  server: RunningServer,
  group: string,
  facts: Partial<DeviceFactsInput>,
  apps: InstalledApp[],
): Promise<FleetDevice> {
  const { token } = await server.createEnrollmentToken({ group });
  const reported = deviceFacts({ passcodeSet: true, storageEncrypted: true, rooted: false, ...facts });
  const device = { enrolled: await enrollDevice(server.url, token, reported), facts: reported };
  await reportState(server.url, device, { apps });
  return device;
}

/**
 * Four devices: in finance one with mSpy installed and one on Android 12, in sales one without
 * a passcode and one that complies.
 */
export async function enrollComplianceFleet(server: RunningServer) {
  return {
    spied: await enroll(server, 'finance', {}, [MAPS, MSPY]),
    outdated: await enroll(server, 'finance', { osVersion: '12' }, [MAPS]),
    unlocked: await enroll(server, 'sales', { passcodeSet: false }, [MAPS]),
    compliant: await enroll(server, 'sales', {}, [MAPS]),
  };
}
