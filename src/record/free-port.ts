import { createServer } from 'node:net';

/** A TCP port that is free on `host` right now: the kernel picks one, we release it for the server. */
export function findFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen({ host, port: 0, exclusive: true }, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error(`no free port on ${host}`))));
    });
  });
}
