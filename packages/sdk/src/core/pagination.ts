import type { PageOf } from '@fleetops/protocol';
import { FleetError } from './errors';

/** Loads the page that starts at `cursor`. */
export type PageLoader<Item> = (cursor: string) => PagePromise<Item>;

/**
 * One page of a list. Iterating it with `for await` yields its items and then those of every
 * following page, fetched one page at a time.
 */
export class Page<Item> implements AsyncIterable<Item> {
  /** The items of this page. */
  readonly data: Item[];
  /** The cursor of the next page; null on the last page. */
  readonly nextCursor: string | null;
  readonly #loadPage: PageLoader<Item>;

  constructor(body: PageOf<Item>, loadPage: PageLoader<Item>) {
    this.data = body.data;
    this.nextCursor = body.nextCursor;
    this.#loadPage = loadPage;
  }

  /** Whether another page follows. */
  hasNextPage(): boolean {
    return this.nextCursor !== null;
  }

  /** Fetches the next page; rejects when there is none (check `hasNextPage()` first). */
  async getNextPage(): Promise<Page<Item>> {
    if (this.nextCursor === null) throw new FleetError('there is no next page: this is the last one');
    return this.#loadPage(this.nextCursor);
  }

  /** This page and every following one, fetched as the loop asks for them. */
  async *iterPages(): AsyncGenerator<Page<Item>, void, undefined> {
    let page: Page<Item> = this;
    yield page;
    while (page.hasNextPage()) {
      page = await page.getNextPage();
      yield page;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined> {
    for await (const page of this.iterPages()) yield* page.data;
  }
}

/**
 * The answer of a `list()` call: await it for the first `Page`, or iterate it directly with
 * `for await` to walk every item of every page.
 */
export class PagePromise<Item> extends Promise<Page<Item>> implements AsyncIterable<Item> {
  /** Wraps a page load; the request starts at once, as with any promise. */
  static load<Item>(load: () => Promise<Page<Item>>): PagePromise<Item> {
    return new PagePromise<Item>((resolve, reject) => {
      load().then(resolve, reject);
    });
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined> {
    yield* await this;
  }

  /** Every page, starting with the first. */
  async *iterPages(): AsyncGenerator<Page<Item>, void, undefined> {
    yield* (await this).iterPages();
  }

  /** Every item of every page, in one array. Mind the size of what you list. */
  async toArray(): Promise<Item[]> {
    const items: Item[] = [];
    for await (const item of this) items.push(item);
    return items;
  }
}
