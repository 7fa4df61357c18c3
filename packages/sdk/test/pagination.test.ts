import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { FleetError, Page } from '../src/index';
import { BASE_URL, DEVICE_ID, device, makeClient, useMswServer } from './helpers';

const server = useMswServer();

/** Three pages of devices, linked by cursors c1 and c2; records the query of each request. */
function threePages() {
  const ids = [
    ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'],
    ['00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000004'],
    ['00000000-0000-4000-8000-000000000005'],
  ];
  const cursors = [undefined, 'c1', 'c2'];
  const queries: URLSearchParams[] = [];
  server.use(
    http.get(`${BASE_URL}/v1/devices`, ({ request }) => {
      const query = new URL(request.url).searchParams;
      queries.push(query);
      const index = cursors.indexOf(query.get('cursor') ?? undefined);
      if (index < 0) return HttpResponse.json({ error: 'unknown cursor' }, { status: 400 });
      return HttpResponse.json({
        data: ids[index]!.map((id) => device({ id })),
        nextCursor: cursors[index + 1] ?? null,
      });
    }),
  );
  return { ids: ids.flat(), queries };
}

describe('pagination', () => {
  it('walks every page of an unawaited list with for await, following nextCursor until null', async () => {
    const { ids, queries } = threePages();
    const seen: string[] = [];
    for await (const d of makeClient().devices.list({ os: 'android', limit: 2 })) seen.push(d.id);
    expect(seen).toEqual(ids);
    expect(queries.map((q) => q.get('cursor'))).toEqual([null, 'c1', 'c2']);
    expect(queries.every((q) => q.get('os') === 'android' && q.get('limit') === '2')).toBe(true);
  });

  it('gives one page when awaited', async () => {
    const { ids, queries } = threePages();
    const page = await makeClient().devices.list();
    expect(page).toBeInstanceOf(Page);
    expect(page.data.map((d) => d.id)).toEqual(ids.slice(0, 2));
    expect(page.nextCursor).toBe('c1');
    expect(page.hasNextPage()).toBe(true);
    expect(queries).toHaveLength(1);
  });

  it('moves page by page with getNextPage and rejects past the last one', async () => {
    threePages();
    const first = await makeClient().devices.list();
    const second = await first.getNextPage();
    const third = await second.getNextPage();
    expect(third.data).toHaveLength(1);
    expect(third.hasNextPage()).toBe(false);
    await expect(third.getNextPage()).rejects.toBeInstanceOf(FleetError);
  });

  it('iterates pages with iterPages', async () => {
    threePages();
    const sizes: number[] = [];
    for await (const page of makeClient().devices.list().iterPages()) sizes.push(page.data.length);
    expect(sizes).toEqual([2, 2, 1]);
  });

  it('iterates an awaited page and the pages after it', async () => {
    const { ids } = threePages();
    const page = await makeClient().devices.list();
    const seen: string[] = [];
    for await (const d of page) seen.push(d.id);
    expect(seen).toEqual(ids);
  });

  it('collects every item with toArray', async () => {
    const { ids } = threePages();
    const all = await makeClient().devices.list().toArray();
    expect(all.map((d) => d.id)).toEqual(ids);
  });

  it('fetches no further page than the loop asks for', async () => {
    const { queries } = threePages();
    for await (const d of makeClient().devices.list()) {
      expect(d.id).toBeDefined();
      break;
    }
    expect(queries).toHaveLength(1);
  });

  it('starts from the cursor the caller gives', async () => {
    const { ids } = threePages();
    const rest = await makeClient().devices.list({ cursor: 'c1' }).toArray();
    expect(rest.map((d) => d.id)).toEqual(ids.slice(2));
  });

  it('pages the sub-lists of a device too', async () => {
    server.use(
      http.get(`${BASE_URL}/v1/devices/${DEVICE_ID}/apps`, ({ request }) => {
        const cursor = new URL(request.url).searchParams.get('cursor');
        return HttpResponse.json(
          cursor
            ? { data: [{ packageId: 'b', name: 'b', version: '1' }], nextCursor: null }
            : { data: [{ packageId: 'a', name: 'a', version: '1' }], nextCursor: 'next' },
        );
      }),
    );
    const apps = await makeClient().devices.apps(DEVICE_ID).toArray();
    expect(apps.map((a) => a.packageId)).toEqual(['a', 'b']);
  });
});
