import type { ViolationEvidence } from '@fleetops/protocol';

type EvidenceApp = NonNullable<ViolationEvidence['apps']>[number];
type MissingApp = NonNullable<ViolationEvidence['missing']>[number];

/** Apps named in a one-line summary; the rest are counted. */
const SUMMARY_APPS = 3;

/** `com.mspy.lite 6.0.9 (mSpy)`: the package, its version, and what the blocklist calls it. */
export function appText(app: EvidenceApp): string {
  const known = app.label ?? (app.name !== app.packageId ? app.name : null);
  return `${app.packageId} ${app.version}${known ? ` (${known})` : ''}`;
}

/** `com.example.vpn missing`, or `com.example.mdm 1.2, needs 3.0`. */
export function missingText(app: MissingApp): string {
  if (app.installedVersion === null) return `${app.packageId} missing`;
  return `${app.packageId} ${app.installedVersion}${app.minVersion ? `, needs ${app.minVersion}` : ''}`;
}

/** `found 12, expected 13`: the state found, for checks of the device rather than its apps. */
function stateText(evidence: ViolationEvidence): string | undefined {
  if (evidence.found === undefined && evidence.expected === undefined) return undefined;
  const found = `found ${evidence.found ?? 'nothing'}`;
  return evidence.expected ? `${found}, expected ${evidence.expected}` : found;
}

/** Why a device breaks a rule, in one line for a table cell: at most three apps are named. */
export function evidenceSummary(evidence: ViolationEvidence): string {
  const parts: string[] = [];
  const apps = evidence.apps ?? [];
  if (apps.length > 0) {
    const named = apps.slice(0, SUMMARY_APPS).map(appText).join(', ');
    parts.push(apps.length > SUMMARY_APPS ? `${named} +${apps.length - SUMMARY_APPS} more` : named);
  }
  for (const app of evidence.missing ?? []) parts.push(missingText(app));
  const state = stateText(evidence);
  if (state) parts.push(state);
  return parts.join('; ');
}

/** Every piece of evidence, one per line, for reports that have room: each app with its certificate. */
export function evidenceLines(evidence: ViolationEvidence): string[] {
  const apps = (evidence.apps ?? []).map(
    (app) => `app ${appText(app)}${app.certificate ? `, certificate ${app.certificate}` : ''}`,
  );
  const missing = (evidence.missing ?? []).map(missingText);
  const state = stateText(evidence);
  return [...apps, ...missing, ...(state ? [state] : [])];
}
