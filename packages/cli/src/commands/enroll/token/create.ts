import { type ManagementMode, parseDuration } from '@fleetops/protocol';
import type { CreatedEnrollmentToken } from '@fleetops/sdk';
import type { Handler } from '../../../command';
import { type Column, record } from '../../../output/view';
import { enrollmentTokenColumns } from './columns';

/** Options of `enroll token create`. */
export interface CreateEnrollmentTokenOptions {
  group: string;
  mode: ManagementMode;
  expires: string;
  maxUses?: number;
  qr?: boolean;
}

const columns: Column<CreatedEnrollmentToken>[] = [
  { key: 'token', header: 'TOKEN', value: (t) => t.token },
  ...enrollmentTokenColumns,
  { key: 'server', header: 'SERVER', value: (t) => t.payload.server },
];

/** Creates an enrollment token; with `--qr`, adds its enrollment payload as a terminal QR code. */
export const handler: Handler<CreateEnrollmentTokenOptions> = async (opts, { client, io }) => {
  const created = await (await client()).enrollmentTokens.create({
    group: opts.group,
    mode: opts.mode,
    expiresInSeconds: parseDuration(opts.expires)!,
    maxUses: opts.maxUses ?? null,
  });
  io.info('the token is shown only now: keep it safe');
  const trailer = opts.qr ? await qrCode(JSON.stringify(created.payload)) : undefined;
  return record(created, columns, trailer ? { trailer } : {});
};

async function qrCode(text: string): Promise<string> {
  const { default: QRCode } = await import('qrcode');
  return QRCode.toString(text, { type: 'terminal', small: true });
}
