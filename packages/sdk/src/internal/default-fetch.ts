import { Agent, fetch as undiciFetch } from 'undici';
import type { Fetch } from '../core/transport';

const KEEP_ALIVE_TIMEOUT_MS = 10_000;

/** A keep-alive fetch: undici's `fetch` over one `Agent`, created at the first request. */
export function createKeepAliveFetch(): { fetch: Fetch; close: () => Promise<void> } {
  let agent: Agent | undefined;
  const fetch: Fetch = (url, init) => {
    agent ??= new Agent({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS });
    // undici's own Request/Response types differ nominally from the global ones, not in shape.
    return undiciFetch(url, { ...(init as object), dispatcher: agent }) as unknown as Promise<Response>;
  };
  const close = async () => {
    await agent?.close();
    agent = undefined;
  };
  return { fetch, close };
}
