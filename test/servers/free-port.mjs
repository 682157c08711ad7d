// A free TCP port on 127.0.0.1, from the OS, for the real servers tests start (nats-server, Vendure…), so
// parallel test runs do not collide.
import {createServer} from 'node:net';

/** Resolves with a port the OS just gave and released (the probe never keeps the process alive). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const {port} = probe.address();
      probe.close(() => resolve(port));
    });
  });
}
