import { adminRoutes } from '@fleetops/protocol';
import { ApiError } from '../../errors';
import { defineRoute } from '../../http/route';
import type { Services } from '../../services';

export const activityRoutes = ({ activity }: Services) => [
  defineRoute(adminRoutes.listActivity, ({ admin, query }) => activity.list(admin.org.id, query)),
  defineRoute(adminRoutes.verifyActivity, ({ admin, query }) => {
    const { witnessSeq, witnessHash } = query;
    if ((witnessSeq === undefined) !== (witnessHash === undefined)) {
      throw new ApiError(
        'bad_request',
        'a witness is witnessSeq and witnessHash together: pass both (a head from an earlier verify) or neither',
      );
    }
    return activity.verify(
      admin.org.id,
      witnessSeq === undefined || witnessHash === undefined
        ? undefined
        : { seq: witnessSeq, hash: witnessHash },
    );
  }),
  defineRoute(adminRoutes.listCheckpoints, ({ admin, query }) =>
    activity.checkpoints(admin.org.id, query.limit, query.cursor),
  ),
];
