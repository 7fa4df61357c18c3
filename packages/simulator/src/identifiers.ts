import type { Random, Weighted } from './random';

/** The Luhn check digit of a string of decimal digits (as used by IMEIs). */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** Whether a full number (payload plus its last check digit) passes the Luhn check. */
export function isLuhnValid(number: string): boolean {
  return /^\d{2,}$/.test(number) && luhnCheckDigit(number.slice(0, -1)) === Number(number.at(-1));
}

/** A stable 6-digit number per model name, so all phones of a model share a type allocation code. */
function modelCode(model: string): string {
  let hash = 2166136261;
  for (let i = 0; i < model.length; i++) hash = Math.imul(hash ^ model.charCodeAt(i), 16777619);
  return String((hash >>> 0) % 1_000_000).padStart(6, '0');
}

/** A 15-digit IMEI: type allocation code of the model, a serial number and the Luhn check digit. */
export function generateImei(random: Random, model: string): string {
  const body = `35${modelCode(model)}${random.digits(6)}`;
  return `${body}${luhnCheckDigit(body)}`;
}

/** Dual-mode (CDMA) phones report as MEID the first 14 digits of their IMEI. */
export function meidFromImei(imei: string): string {
  return imei.slice(0, 14);
}

/** A randomized (locally administered, unicast) Wi-Fi MAC address, as phones use since Android 10 / iOS 14. */
export function generateMacAddress(random: Random): string {
  const first = (random.int(0, 255) & 0xfc) | 0x02;
  const bytes = [first, ...Array.from({ length: 5 }, () => random.int(0, 255))];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** Settings.Secure.ANDROID_ID: 64 bits as 16 lowercase hex digits. */
export function generateAndroidId(random: Random): string {
  return random.hex(16);
}

/** A country's mobile numbers: its calling code and how a number of it is made. */
interface NumberingPlan {
  callingCode: string;
  generate: (random: Random) => string;
}

/**
 * Mobile numbering plans by country calling code. Where a country reserves numbers for fiction
 * (US 555-01xx, UK 07700 900xxx) those are used, so generated numbers reach nobody.
 */
const numberingPlans: Weighted<NumberingPlan>[] = [
  { weight: 30, value: { callingCode: '+1', generate: (r) => `+1${r.int(201, 989)}55501${r.digits(2)}` } },
  { weight: 12, value: { callingCode: '+44', generate: (r) => `+447700900${r.digits(3)}` } },
  {
    weight: 12,
    value: {
      callingCode: '+49',
      generate: (r) => `+49${r.pick(['151', '152', '157', '160', '170', '171', '176'])}${r.digits(8)}`,
    },
  },
  {
    weight: 10,
    value: {
      callingCode: '+86',
      generate: (r) => `+86${r.pick(['133', '138', '139', '150', '158', '186', '188'])}${r.digits(8)}`,
    },
  },
  { weight: 7, value: { callingCode: '+33', generate: (r) => `+33${r.pick(['6', '7'])}${r.digits(8)}` } },
  { weight: 8, value: { callingCode: '+91', generate: (r) => `+91${r.int(6, 9)}${r.digits(9)}` } },
  { weight: 5, value: { callingCode: '+34', generate: (r) => `+346${r.digits(8)}` } },
  { weight: 5, value: { callingCode: '+39', generate: (r) => `+393${r.digits(9)}` } },
  {
    weight: 4,
    value: { callingCode: '+81', generate: (r) => `+81${r.pick(['70', '80', '90'])}${r.digits(8)}` },
  },
  { weight: 4, value: { callingCode: '+55', generate: (r) => `+55${r.int(11, 99)}9${r.digits(8)}` } },
  { weight: 3, value: { callingCode: '+61', generate: (r) => `+614${r.digits(8)}` } },
];

/** A mobile number in E.164 form, of the country of `callingCode` when given (one of the plans). */
export function generatePhoneNumber(random: Random, callingCode?: string): string {
  const plan =
    numberingPlans.find((p) => p.value.callingCode === callingCode)?.value ??
    random.pickWeighted(numberingPlans);
  return plan.generate(random);
}

/** The calling code (`+49`) of a number made by {@link generatePhoneNumber}; undefined for another. */
export function callingCodeOf(number: string): string | undefined {
  return numberingPlans.find((p) => number.startsWith(p.value.callingCode))?.value.callingCode;
}
