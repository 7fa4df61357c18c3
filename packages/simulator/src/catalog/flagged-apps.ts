import type { InstalledApp } from '@fleetops/protocol';
import { signingCertificateOf } from './certificates';

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

type SignedRow = [packageId: string, name: string, version: string, certificate: string];

/**
 * Package ids and signing-certificate SHA-1 digests from AssoEchap/stalkerware-indicators
 * (ioc.yaml, CC-BY 4.0, (c) Echap and contributors; copied in examples/compliance/): each app is
 * signed with the first certificate the indicators list for its family. Names are the harmless
 * labels such apps show to hide themselves; they are installed from a downloaded APK, so the
 * installer is null.
 */
const stalkerwareRows: SignedRow[] = [
  ['com.thetruth', 'System Service', '3.1.2', '31A6ECECD97CF39BC4126B8745CD94A7C30BF81C'],
  ['com.cocospy', 'Sync Services', '2.0.8', '8418703221A74C73405AD273C28CBC12444D7520'],
  ['com.android.core.monitor', 'Sync Services', '7.4.314', '0E0BE37D31CA21F19095FC38F9F1BEF310CE227C'],
  ['com.mspy.lite', 'Update Service', '6.0.9', '021985CEA754D8E58D538D2FEDFF6B1565A6B45B'],
  ['com.mobiletrackerfree.www', 'System Update', '12.5', '021A3F097EDA780798DF5ECB16EF338C08236847'],
  ['com.android.core.mngi', 'Wi-Fi', '2.7.1', '240E97A0587BF99441787EA3BCB2B2D8827564FE'],
  ['com.lsdroid.cerberus.client', 'System Framework', '3.7.1', 'BC693B48B7EC988E275CF9E1CDAA1447A31717D9'],
  ['com.android.internet.a20210916', 'Internet Service', '8.3.0', 'C1D83F5FFE3EC319FF103EC7346CDDF218B5634D'],
];
const stalkerware: InstalledApp[] = stalkerwareRows.map(([packageId, name, version, certificate]) => ({
  packageId,
  name,
  version,
  installer: null,
  certificate,
}));

export const flaggedAppKinds: readonly FlaggedAppKind[] = [
  { reason: 'stalkerware', share: 0.02, needsGms: false, apps: stalkerware },
  {
    reason: 'sideloaded',
    share: 0.04,
    needsGms: false,
    apps: [
      {
        packageId: 'com.whatsapp.plus',
        name: 'WhatsApp Plus',
        version: '17.85',
        installer: null,
        certificate: signingCertificateOf('com.whatsapp.plus'),
      },
    ],
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
        // An old build of the real app: signed like the current one.
        certificate: signingCertificateOf('com.android.chrome'),
      },
    ],
  },
];
