import type { Handler } from '../../../command';
import { record } from '../../../output/view';
import { notFoundAs } from '../../../sdk-errors';
import { requireId } from '../../ids';
import { enrollmentTokenColumns } from './columns';

/** Revokes an enrollment token: no device can enroll with it any more. */
export const handler: Handler<{ id: string }> = async ({ id }, { client, io }) => {
  requireId(id, 'enrollment token');
  const token = await (await client()).enrollmentTokens
    .revoke(id)
    .catch(notFoundAs(`enrollment token ${id}`));
  io.info(`revoked enrollment token ${id}`);
  return record(token, enrollmentTokenColumns);
};
