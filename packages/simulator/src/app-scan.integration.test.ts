import { readFileSync } from 'node:fs';
import {
  ApplyRulesResult,
  type CheckInRequest,
  ComplianceEventPage,
  ComplianceRulesDocument,
  type ComplianceRulesDocumentInput,
  CreatedEnrollmentToken,
} from '@fleetops/protocol';
import { type RunningServer, startServer } from '@fleetops/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { until } from '../test/helpers';
import { DeviceAgent, type DeviceApi } from './agent';
import { generateDevice } from './facts';
import { DeviceTransport } from './transport';

/** Device 62 of the `npm start` fleet (seed 1): an Android phone with Cerberus installed. */
const device = generateDevice(1, 62);
const spyware = device.apps.find((app) => app.packageId === 'com.lsdroid.cerberus.client')!;

const rules = ComplianceRulesDocument.parse(
  parse(
    readFileSync(new URL('../../../examples/compliance/rules.yaml', import.meta.url), 'utf8'),
  ) as ComplianceRulesDocumentInput,
);

describe('the client-side scan against the real server', () => {
  let server: RunningServer;
  let transport: DeviceTransport;
  let agent: DeviceAgent | undefined;
  const checkIns: CheckInRequest[] = [];

  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${server.adminToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await response.json();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };

  beforeAll(async () => {
    server = await startServer({ port: 0, logLevel: 'silent' });
    transport = new DeviceTransport(server.url, { connections: 4 });
  });

  afterAll(async () => {
    await agent?.stop();
    await transport?.close();
    await server?.close();
  });

  it('gets the blocklist at login, reports its findings, and the server flags the device at once', async () => {
    expect(spyware).toBeDefined();
    ApplyRulesResult.parse(await admin('PUT', '/v1/compliance/rules', { document: rules }));
    const enrollment = CreatedEnrollmentToken.parse(
      await admin('POST', '/v1/enrollment-tokens', { group: 'simulated' }),
    );
    const api: DeviceApi = {
      enroll: (...args) => transport.enroll(...args),
      checkIn: (credential, body, signal) => {
        checkIns.push(structuredClone(body));
        return transport.checkIn(credential, body, signal);
      },
      poll: (...args) => transport.poll(...args),
      reportResult: (...args) => transport.reportResult(...args),
      uploadEvents: (...args) => transport.uploadEvents(...args),
    };
    agent = new DeviceAgent({
      device,
      transport: api,
      enrollmentToken: enrollment.token,
      pollWaitSeconds: 1,
    });
    expect(await agent.start()).toBe(true);
    await until('the device reported a scan', () => checkIns.some((body) => body.appScan));

    const [login] = checkIns.flatMap((body) => (body.appScan ? [body.appScan] : []));
    expect(login).toMatchObject({ trigger: 'login' });
    expect(login!.findings).toContainEqual({
      packageId: spyware.packageId,
      version: spyware.version,
      rule: 'no-stalkerware',
    });

    const events = ComplianceEventPage.parse(
      await admin('GET', `/v1/compliance/events?type=device.noncompliant&deviceId=${agent.deviceId}`),
    ).data;
    const flagged = events.find((event) => event.rule === 'no-stalkerware');
    expect(flagged).toMatchObject({ source: 'check-in', severity: 'critical' });
    expect(flagged!.evidence.apps).toContainEqual(
      expect.objectContaining({
        packageId: spyware.packageId,
        certificate: spyware.certificate,
        label: 'Cerberus',
      }),
    );
  });
});
