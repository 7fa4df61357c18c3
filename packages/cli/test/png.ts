import { inflateSync } from 'node:zlib';

/** A decoded PNG: 8-bit RGB(A) pixels, row by row. */
export interface Image {
  width: number;
  height: number;
  /** Bytes per pixel: 3 (RGB) or 4 (RGBA). */
  channels: number;
  pixels: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Decodes a non-interlaced 8-bit RGB or RGBA PNG, what Chromium's screenshots are, with
 * node:zlib: the IDAT chunks inflated, then each row unfiltered (PNG spec, section 9).
 */
export function decodePng(file: Buffer): Image {
  if (!file.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG');
  let offset = 8;
  let header: Buffer | undefined;
  const data: Buffer[] = [];
  while (offset < file.length) {
    const length = file.readUInt32BE(offset);
    const type = file.toString('latin1', offset + 4, offset + 8);
    const body = file.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') header = body;
    if (type === 'IDAT') data.push(body);
    offset += 12 + length;
  }
  if (!header) throw new Error('PNG without IHDR');
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const [depth, colorType, , , interlace] = header.subarray(8, 13);
  const channels = colorType === 2 ? 3 : colorType === 6 ? 4 : 0;
  if (depth !== 8 || channels === 0 || interlace !== 0) {
    throw new Error(`unsupported PNG: depth ${depth}, colour type ${colorType}, interlace ${interlace}`);
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = y * stride;
    for (let i = 0; i < stride; i++) {
      const left = i >= channels ? pixels[row + i - channels]! : 0;
      const up = y > 0 ? pixels[row - stride + i]! : 0;
      const upLeft = y > 0 && i >= channels ? pixels[row - stride + i - channels]! : 0;
      pixels[row + i] = (line[i]! + predict(filter, left, up, upLeft)) & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

function predict(filter: number, left: number, up: number, upLeft: number): number {
  switch (filter) {
    case 0:
      return 0;
    case 1:
      return left;
    case 2:
      return up;
    case 3:
      return (left + up) >> 1;
    case 4: {
      const estimate = left + up - upLeft;
      const [a, b, c] = [Math.abs(estimate - left), Math.abs(estimate - up), Math.abs(estimate - upLeft)];
      return a <= b && a <= c ? left : b <= c ? up : upLeft;
    }
    default:
      throw new Error(`unknown PNG filter ${filter}`);
  }
}

/** A rectangle of pixels: where a colour was found. */
export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
  /** Pixels of the colour inside. */
  count: number;
}

/** Whether the pixel at (x, y) is `hex` (`#2563eb`), give or take `tolerance` per channel. */
export function isColor(image: Image, x: number, y: number, hex: string, tolerance = 6): boolean {
  const at = (y * image.width + x) * image.channels;
  const rgb = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
  return rgb.every((value, c) => Math.abs(image.pixels[at + c]! - value) <= tolerance);
}

/** Where the pixels of `hex` are: their bounding box and count (count 0 when there is none). */
export function findColor(image: Image, hex: string): Box {
  const box: Box = { left: image.width, top: image.height, right: -1, bottom: -1, count: 0 };
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (!isColor(image, x, y, hex)) continue;
      box.count++;
      box.left = Math.min(box.left, x);
      box.right = Math.max(box.right, x);
      box.top = Math.min(box.top, y);
      box.bottom = Math.max(box.bottom, y);
    }
  }
  return box;
}

/** How many separate runs of `hex` a vertical line at `x` crosses: the bars a bar chart draws there. */
export function runsDown(image: Image, x: number, hex: string): number {
  let runs = 0;
  let inside = false;
  for (let y = 0; y < image.height; y++) {
    const hit = isColor(image, x, y, hex);
    if (hit && !inside) runs++;
    inside = hit;
  }
  return runs;
}
