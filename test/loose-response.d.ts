// Tests read response bodies loosely and assert their shape. This augmentation is part of the
// test typecheck only (tsconfig.test.json), so package sources are checked without it.
declare global {
  interface Response {
    // biome-ignore lint/suspicious/noExplicitAny: assertions check the shape
    json(): Promise<any>;
  }
}

export {};
