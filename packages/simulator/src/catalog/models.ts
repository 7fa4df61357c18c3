import type { Os } from '@fleetops/protocol';
import type { Weighted } from '../random';

/** Who ships the storefront and OEM apps of a phone (see catalog/apps.ts). */
export type Vendor =
  | 'samsung'
  | 'google'
  | 'xiaomi'
  | 'huawei'
  | 'oppo'
  | 'vivo'
  | 'oneplus'
  | 'motorola'
  | 'apple';

/** A phone model as the simulator knows it. */
export interface DeviceModel {
  brand: string;
  model: string;
  os: Os;
  vendor: Vendor;
  /** OS versions seen on this model in the field, oldest first. */
  osVersions: readonly string[];
  nfc: boolean;
  /** CDMA-capable models also report a MEID. */
  cdma: boolean;
  /** Whether Google Mobile Services (Play Store, Google apps) are on the phone. */
  gms: boolean;
  /** Serial number pattern, see `Random.template`. */
  serialPattern: string;
}

type ModelRow = [model: string, osVersions: string[], nfc: boolean, weight: number, cdma?: boolean];

interface BrandSpec {
  brand: string;
  vendor: Vendor;
  os: Os;
  gms: boolean;
  serialPattern: string;
  models: ModelRow[];
}

/** Rough market popularity: weights are relative, not percentages. */
const brands: BrandSpec[] = [
  {
    brand: 'Samsung',
    vendor: 'samsung',
    os: 'android',
    gms: true,
    serialPattern: 'R5CXXXXXXXX',
    models: [
      ['Galaxy S24 Ultra', ['14', '15'], true, 5],
      ['Galaxy S24', ['14', '15'], true, 5],
      ['Galaxy S23', ['13', '14', '15'], true, 5, true],
      ['Galaxy S23 FE', ['13', '14'], true, 2],
      ['Galaxy S22', ['12', '13', '14'], true, 3, true],
      ['Galaxy S21 FE 5G', ['12', '13', '14'], true, 2],
      ['Galaxy A55 5G', ['14', '15'], true, 4],
      ['Galaxy A54 5G', ['13', '14'], true, 6],
      ['Galaxy A35 5G', ['14'], true, 3],
      ['Galaxy A15', ['14'], false, 6],
      ['Galaxy A14', ['13', '14'], false, 5],
      ['Galaxy A05s', ['13', '14'], false, 3],
      ['Galaxy Z Flip5', ['13', '14'], true, 1],
      ['Galaxy Z Fold5', ['13', '14'], true, 1],
      ['Galaxy XCover7', ['14'], true, 1],
    ],
  },
  {
    brand: 'Google',
    vendor: 'google',
    os: 'android',
    gms: true,
    serialPattern: '99991XXX99XXXX',
    models: [
      ['Pixel 9 Pro', ['14', '15'], true, 2],
      ['Pixel 9', ['14', '15'], true, 2],
      ['Pixel 8a', ['14', '15'], true, 2],
      ['Pixel 8', ['14', '15'], true, 3],
      ['Pixel 7a', ['13', '14', '15'], true, 3],
      ['Pixel 7', ['13', '14'], true, 2],
      ['Pixel 6a', ['13', '14'], true, 1],
    ],
  },
  {
    brand: 'Xiaomi',
    vendor: 'xiaomi',
    os: 'android',
    gms: true,
    serialPattern: 'hhhhhhhh',
    models: [
      ['Xiaomi 14', ['14'], true, 2],
      ['Xiaomi 13T', ['13', '14'], true, 2],
      ['Redmi Note 13 Pro', ['13', '14'], true, 4],
      ['Redmi Note 13', ['13', '14'], true, 4],
      ['Redmi Note 12', ['12', '13'], false, 4],
      ['Redmi 13C', ['13', '14'], false, 4],
      ['POCO X6 Pro', ['14'], true, 1],
    ],
  },
  {
    brand: 'Huawei',
    vendor: 'huawei',
    os: 'android',
    gms: false,
    serialPattern: 'AAA99999999AXXXX',
    models: [
      ['P60 Pro', ['12'], true, 1],
      ['nova 11', ['12'], true, 1],
      ['Mate 50 Pro', ['12'], true, 1],
    ],
  },
  {
    brand: 'Huawei',
    vendor: 'huawei',
    os: 'android',
    gms: true,
    serialPattern: 'AAA99999999AXXXX',
    models: [['P30 Pro', ['10'], true, 1]],
  },
  {
    brand: 'OPPO',
    vendor: 'oppo',
    os: 'android',
    gms: true,
    serialPattern: 'hhhhhhhhhh',
    models: [
      ['Find X6 Pro', ['13', '14'], true, 1],
      ['Reno11 F 5G', ['14'], true, 2],
      ['A79 5G', ['13', '14'], true, 2],
      ['A18', ['14'], false, 2],
    ],
  },
  {
    brand: 'vivo',
    vendor: 'vivo',
    os: 'android',
    gms: true,
    serialPattern: 'hhhhhhhhhhhh',
    models: [
      ['V30', ['14'], true, 1],
      ['X100 Pro', ['14'], true, 1],
      ['Y36', ['13', '14'], true, 2],
      ['Y17s', ['13', '14'], false, 2],
    ],
  },
  {
    brand: 'OnePlus',
    vendor: 'oneplus',
    os: 'android',
    gms: true,
    serialPattern: 'hhhhhhhh',
    models: [
      ['OnePlus 12', ['14', '15'], true, 1],
      ['OnePlus 11', ['13', '14'], true, 1],
      ['OnePlus Nord CE 3 Lite 5G', ['13', '14'], false, 2],
    ],
  },
  {
    brand: 'Motorola',
    vendor: 'motorola',
    os: 'android',
    gms: true,
    serialPattern: 'ZY22XXXXXX',
    models: [
      ['moto g84 5G', ['13', '14'], true, 2],
      ['moto g54 5G', ['13', '14'], true, 2],
      ['moto g play (2023)', ['12', '13'], false, 2, true],
      ['moto g power 5G (2024)', ['14'], true, 1, true],
      ['edge 40', ['13', '14'], true, 1],
    ],
  },
  {
    brand: 'Apple',
    vendor: 'apple',
    os: 'ios',
    gms: false,
    serialPattern: 'XXXXXXXXXX',
    models: [
      ['iPhone 16 Pro', ['18.0.1', '18.1', '18.1.1'], true, 2],
      ['iPhone 16', ['18.0.1', '18.1', '18.1.1'], true, 2],
      ['iPhone 15 Pro', ['17.6.1', '18.0.1', '18.1.1'], true, 3],
      ['iPhone 15', ['17.5.1', '17.6.1', '18.1.1'], true, 3],
      ['iPhone 14', ['16.7.10', '17.6.1', '18.1.1'], true, 3],
      ['iPhone 13', ['15.8.3', '16.7.10', '17.6.1', '18.1.1'], true, 3, true],
    ],
  },
];

/** Every known model with its popularity weight. */
export const deviceModels: readonly Weighted<DeviceModel>[] = brands.flatMap((spec) =>
  spec.models.map(([model, osVersions, nfc, weight, cdma = false]) => ({
    weight,
    value: {
      brand: spec.brand,
      model,
      os: spec.os,
      vendor: spec.vendor,
      osVersions,
      nfc,
      cdma,
      gms: spec.gms,
      serialPattern: spec.serialPattern,
    },
  })),
);
