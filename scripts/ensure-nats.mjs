// Run by .ci/run before `npm test`: the cluster tests (test/node/server-cluster.test.mjs) start a real 3-node
// cluster of Debian's nats-server (2.9.x), never one downloaded by npm. If it is missing and we may install
// packages (root with apt-get, as in CI), install it; otherwise say what to install and fail — the cluster
// tests fail too without it (they never skip).
import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';

const DEBIAN_NATS = '/usr/sbin/nats-server';
const override = process.env.NATS_SERVER;

// The test cluster runs NATS_SERVER when it is set, so that, and only that, must exist.
if (override) {
  if (existsSync(override)) process.exit(0);
  console.error(`ensure-nats: NATS_SERVER=${override} does not exist. Fix it, or unset it to use ${DEBIAN_NATS}.`);
  process.exit(1);
}
const onPath = () => spawnSync('sh', ['-c', 'command -v nats-server'], {stdio: 'ignore'}).status === 0;
if (existsSync(DEBIAN_NATS) || onPath()) process.exit(0);

const canInstall = process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], {stdio: 'ignore'}).status === 0;
if (canInstall) {
  console.log('ensure-nats: nats-server is missing; installing the Debian package (apt-get install nats-server)…');
  const env = {...process.env, DEBIAN_FRONTEND: 'noninteractive'};
  const apt = (...args) => spawnSync('apt-get', args, {stdio: 'inherit', env}).status === 0;
  if (apt('update') && apt('install', '-y', '--no-install-recommends', 'nats-server') && (existsSync(DEBIAN_NATS) || onPath())) {
    process.exit(0);
  }
  console.error('ensure-nats: installing nats-server with apt-get failed (see above).');
}

console.error(
  `ensure-nats: the cluster tests need nats-server (Debian's, at ${DEBIAN_NATS}).\n` +
    '  Install it:  sudo apt-get install nats-server\n' +
    '  or set NATS_SERVER to a nats-server 2.9+ binary.',
);
process.exit(1);
