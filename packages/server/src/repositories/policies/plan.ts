import type { PolicyChange, PolicyDocument, PolicyPlan } from '@fleetops/protocol';
import { contentHash, diffFields } from './fields';

/** A live policy as a plan needs it. */
export interface LivePolicy {
  name: string;
  version: number;
  hash: string;
  document: PolicyDocument;
}

export type PlanChanges = Pick<PolicyPlan, 'changes' | 'summary' | 'notPruned'>;

/**
 * Three-way comparison of the documents (desired) with the live set and the set as the last apply
 * left it: `fields` is what the apply would change (live → desired); `drift` the changes made since
 * the last apply (applied → live) that it would overwrite.
 */
export function planChanges(
  desired: PolicyDocument[],
  live: Map<string, LivePolicy>,
  applied: Map<string, PolicyDocument>,
  prune: boolean,
): PlanChanges {
  const drifted = (name: string, fields: PolicyChange['fields']) => {
    const overwritten = new Set(fields.map((field) => field.path));
    return diffFields(applied.get(name), live.get(name)?.document).filter((f) => overwritten.has(f.path));
  };
  const changes: PolicyChange[] = [];
  for (const document of desired) {
    const name = document.metadata.name;
    const current = live.get(name);
    if (current && current.hash === contentHash(document)) {
      changes.push({ name, action: 'unchanged', fields: [], drift: [] });
      continue;
    }
    const fields = diffFields(current?.document, document);
    changes.push({ name, action: current ? 'update' : 'create', fields, drift: drifted(name, fields) });
  }
  const named = new Set(desired.map((document) => document.metadata.name));
  const unnamed = [...live.keys()].filter((name) => !named.has(name)).sort();
  if (prune) {
    for (const name of unnamed) {
      const fields = diffFields(live.get(name)!.document, undefined);
      changes.push({ name, action: 'delete', fields, drift: drifted(name, fields) });
    }
  }
  const count = (action: PolicyChange['action']) => changes.filter((c) => c.action === action).length;
  return {
    changes,
    summary: {
      create: count('create'),
      update: count('update'),
      delete: count('delete'),
      unchanged: count('unchanged'),
      drifted: changes.filter((change) => change.drift.length > 0).length,
    },
    notPruned: prune ? [] : unnamed,
  };
}
