// Run first by `npm test`: the tests drive Debian's Chromium (web-test-runner.config.mjs), never a browser
// downloaded by npm. If it is missing and we may install packages (root with apt-get, as in CI), install it;
// otherwise say what to install and fail before the long test run does.
import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const chromePath = process.env.CHROME_PATH;

// The test config launches CHROME_PATH when it is set, so that, and only that, must exist.
if (chromePath) {
  if (existsSync(chromePath)) process.exit(0);
  console.error(`ensure-browser: CHROME_PATH=${chromePath} does not exist. Fix it, or unset it to use ${DEBIAN_CHROMIUM}.`);
  process.exit(1);
}
if (existsSync(DEBIAN_CHROMIUM)) process.exit(0);

const canInstall = process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], {stdio: 'ignore'}).status === 0;
if (canInstall) {
  console.log('ensure-browser: Chromium is missing; installing the Debian package (apt-get install chromium)…');
  const env = {...process.env, DEBIAN_FRONTEND: 'noninteractive'};
  const apt = (...args) => spawnSync('apt-get', args, {stdio: 'inherit', env}).status === 0;
  if (apt('update') && apt('install', '-y', '--no-install-recommends', 'chromium') && existsSync(DEBIAN_CHROMIUM)) {
    process.exit(0);
  }
  console.error('ensure-browser: installing chromium with apt-get failed (see above).');
}

console.error(
  `ensure-browser: the tests need Chromium at ${DEBIAN_CHROMIUM}.\n` +
    '  Install it:  sudo apt-get install chromium\n' +
    '  or set CHROME_PATH to a Chromium or Chrome binary.',
);
process.exit(1);
