import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';

/** A loopback proxy to a server that passes each response's first bytes, then holds the rest back. */
export interface StallingProxy {
  url: string;
  close(): Promise<void>;
}

/**
 * Forwards requests to `target` whole, and of each connection's response only the first
 * `passBytes`: the client then waits on a response that stops mid-way, as behind a stalled
 * network, until it gives up or is stopped. Lets a test interrupt a download at a point it knows.
 */
export async function startStallingProxy(target: string, passBytes: number): Promise<StallingProxy> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    let passed = 0;
    upstream.on('data', (chunk: Buffer) => {
      const room = passBytes - passed;
      if (room > 0) client.write(chunk.subarray(0, room));
      passed += chunk.length;
      if (passed >= passBytes) upstream.pause();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
