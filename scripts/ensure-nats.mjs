// Run by .ci/run before `npm test`: the cluster tests (test/node/server-cluster.test.mjs) start a real 3-node
// cluster of Debian's nats-server (2.9.x), never one downloaded by npm. If it is missing and we may install
// packages (root with apt-get, as in CI), install it; otherwise say what to install and fail — the cluster
// tests fail too without it (they never skip).
import {ensureDebianTool} from './ensure-debian-tool.mjs';

const DEBIAN_NATS = '/usr/sbin/nats-server';
// The test cluster runs NATS_SERVER when it is set.
ensureDebianTool({
  tag: 'ensure-nats', what: 'nats-server', pkg: 'nats-server', path: DEBIAN_NATS, command: 'nats-server',
  needs: `the cluster tests need nats-server (Debian's, at ${DEBIAN_NATS})`,
  envVar: 'NATS_SERVER', envHint: 'a nats-server 2.9+ binary',
});
