import type { InstalledApp } from '@fleetops/protocol';

/** Why a compliance rule would flag the app. */
export type FlagReason = 'stalkerware' | 'sideloaded' | 'outdated';

/** Apps a compliance scan should find, and on what share of Android phones each kind appears. */
export interface FlaggedAppKind {
  reason: FlagReason;
  /** Probability that one Android phone carries one app of this kind. */
  share: number;
  /** Only on phones with Google Play (the app claims Play as its installer). */
  needsGms: boolean;
  apps: readonly InstalledApp[];
}

/**
 * Package ids from AssoEchap/stalkerware-indicators (ioc.yaml, CC-BY 4.0, (c) Echap and
 * contributors). Names are the harmless labels such apps show to hide themselves; they are
 * installed from a downloaded APK, so the installer is null.
 */
const stalkerware: InstalledApp[] = [
  { packageId: 'com.thetruth', name: 'System Service', version: '3.1.2', installer: null },
  { packageId: 'com.cocospy', name: 'Sync Services', version: '2.0.8', installer: null },
  { packageId: 'com.android.core.monitor', name: 'Sync Services', version: '7.4.314', installer: null },
  { packageId: 'com.mspy.lite', name: 'Update Service', version: '6.0.9', installer: null },
  { packageId: 'com.mobiletrackerfree.www', name: 'System Update', version: '12.5', installer: null },
  { packageId: 'com.android.core.mngi', name: 'Wi-Fi', version: '2.7.1', installer: null },
  { packageId: 'com.lsdroid.cerberus.client', name: 'System Framework', version: '3.7.1', installer: null },
  {
    packageId: 'com.android.internet.a20210916',
    name: 'Internet Service',
    version: '8.3.0',
    installer: null,
  },
];

export const flaggedAppKinds: readonly FlaggedAppKind[] = [
  { reason: 'stalkerware', share: 0.02, needsGms: false, apps: stalkerware },
  {
    reason: 'sideloaded',
    share: 0.04,
    needsGms: false,
    apps: [{ packageId: 'com.whatsapp.plus', name: 'WhatsApp Plus', version: '17.85', installer: null }],
  },
  {
    reason: 'outdated',
    share: 0.05,
    needsGms: true,
    apps: [
      {
        packageId: 'com.android.chrome',
        name: 'Chrome',
        version: '86.0.4240.198',
        installer: 'com.android.vending',
      },
    ],
  },
];
