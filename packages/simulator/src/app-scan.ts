import type { AppMatcher, DeviceAppRules, DeviceAppScan, InstalledApp } from '@fleetops/protocol';

/** What made the device scan its apps: its user logging in, a check-in, or an app installed. */
export type ScanTrigger = DeviceAppScan['trigger'];

/** One installed app breaking one rule. */
export type AppFinding = DeviceAppScan['findings'][number];

/** The most findings a scan report holds (the protocol's limit). */
export const MAX_FINDINGS = 1000;

/** The numbers of a version, as the server's `fleetops_version_key` reads them: `17.4.1-beta2` -> 17, 4, 1, 2. */
function versionNumbers(version: string): string[] {
  return (version.match(/[0-9]{1,30}/g) ?? []).map((digits) => digits.replace(/^0+(?=\d)/, ''));
}

/** The numbers of a bound, without trailing zeros, as the server reads bounds: `17.0` -> 17. */
function boundNumbers(bound: string): string[] {
  const numbers = versionNumbers(bound);
  while (numbers.at(-1) === '0') numbers.pop();
  return numbers;
}

/**
 * Compares an installed version with a bound number by number, as the server does: the first
 * differing number decides, and when the numbers of one run out first it is the lower one
 * (`17.4` < `17.4.1`). Trailing zeros of the bound do not count (`17` is at least `17.0`), and
 * numbers are compared as written, however long.
 */
export function compareToBound(version: string, bound: string): number {
  const left = versionNumbers(version);
  const right = boundNumbers(bound);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const x = left[i]!;
    const y = right[i]!;
    if (x.length !== y.length) return Math.sign(x.length - y.length);
    if (x !== y) return x < y ? -1 : 1;
  }
  return Math.sign(left.length - right.length);
}

/** A package glob as a test: `*` stands for any characters, everything else for itself. */
function globTest(glob: string): (packageId: string) => boolean {
  if (!glob.includes('*')) return (packageId) => packageId === glob;
  const source = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const regex = new RegExp(`^${source}$`);
  return (packageId) => regex.test(packageId);
}

/**
 * Whether an installed app matches: its package id matches the glob, its signing certificate is
 * the digest (upper or lower case alike), and its version is at or above `versionAtLeast` and
 * below `versionBelow`, for each part the matcher gives.
 */
export function appMatcherTest(matcher: AppMatcher): (app: InstalledApp) => boolean {
  const packageMatches = matcher.packageId === undefined ? () => true : globTest(matcher.packageId);
  const certificate = matcher.certificate?.toUpperCase();
  const { versionAtLeast, versionBelow } = matcher;
  return (app) =>
    packageMatches(app.packageId) &&
    (certificate === undefined || app.certificate?.toUpperCase() === certificate) &&
    (versionAtLeast === undefined || compareToBound(app.version, versionAtLeast) >= 0) &&
    (versionBelow === undefined || compareToBound(app.version, versionBelow) < 0);
}

type BlockedApp = DeviceAppRules['blockedApps'][number];

interface CompiledMatcher {
  rule: string;
  test: (app: InstalledApp) => boolean;
}

/**
 * The blocklist the server sent, ready to scan apps against: matchers are looked up by exact
 * package id or certificate, so a blocklist of thousands of entries costs a few lookups per app.
 */
export class AppScanner {
  private readonly byPackage = new Map<string, CompiledMatcher[]>();
  private readonly byCertificate = new Map<string, CompiledMatcher[]>();
  private readonly globs: CompiledMatcher[] = [];

  constructor(readonly rules: DeviceAppRules) {
    for (const matcher of rules.blockedApps) this.add(matcher);
  }

  get hash(): string {
    return this.rules.hash;
  }

  /** Each installed app breaking a rule, once per rule, in the order of `apps`. */
  findings(apps: readonly InstalledApp[]): AppFinding[] {
    const findings: AppFinding[] = [];
    for (const app of apps) {
      const candidates = [
        ...(this.byPackage.get(app.packageId) ?? []),
        ...(app.certificate ? (this.byCertificate.get(app.certificate.toUpperCase()) ?? []) : []),
        ...this.globs,
      ];
      const rules = new Set(candidates.filter((matcher) => matcher.test(app)).map((matcher) => matcher.rule));
      for (const rule of rules) findings.push({ packageId: app.packageId, version: app.version, rule });
    }
    return findings;
  }

  /** The report of a scan of `apps` made now, for the next check-in. */
  scan(apps: readonly InstalledApp[], trigger: ScanTrigger, at: Date): DeviceAppScan {
    return {
      rulesHash: this.hash,
      scannedAt: at.toISOString(),
      trigger,
      findings: this.findings(apps).slice(0, MAX_FINDINGS),
    };
  }

  private add(matcher: BlockedApp): void {
    const compiled = { rule: matcher.rule, test: appMatcherTest(matcher) };
    const { packageId, certificate } = matcher;
    if (packageId !== undefined && !packageId.includes('*')) push(this.byPackage, packageId, compiled);
    else if (packageId === undefined && certificate !== undefined)
      push(this.byCertificate, certificate.toUpperCase(), compiled);
    else this.globs.push(compiled);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const values = map.get(key);
  if (values) values.push(value);
  else map.set(key, [value]);
}

/** Blocklists kept at once by {@link SharedAppScanners}: the current one, and a few a device may still hold. */
const SHARED_BLOCKLISTS = 4;

/**
 * Scanners shared by the devices of one fleet, which belong to one org: a blocklist the server
 * sends every device is compiled and kept once, by its hash, not once per device.
 */
export class SharedAppScanners {
  private readonly byHash = new Map<string, AppScanner>();

  scannerFor(rules: DeviceAppRules): AppScanner {
    const known = this.byHash.get(rules.hash);
    if (known) return known;
    const scanner = new AppScanner(rules);
    this.byHash.set(rules.hash, scanner);
    const oldest = this.byHash.keys().next().value;
    if (this.byHash.size > SHARED_BLOCKLISTS && oldest !== undefined) this.byHash.delete(oldest);
    return scanner;
  }
}
