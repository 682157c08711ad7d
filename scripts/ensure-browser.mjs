// Run first by `npm test`: the tests drive Debian's Chromium (web-test-runner.config.mjs), never a browser
// downloaded by npm. If it is missing and we may install packages (root with apt-get, as in CI), install it;
// otherwise say what to install and fail before the long test run does.
import {ensureDebianTool} from './ensure-debian-tool.mjs';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';
// The test config launches CHROME_PATH when it is set.
ensureDebianTool({
  tag: 'ensure-browser', what: 'Chromium', pkg: 'chromium', path: DEBIAN_CHROMIUM,
  needs: `the tests need Chromium at ${DEBIAN_CHROMIUM}`,
  envVar: 'CHROME_PATH', envHint: 'a Chromium or Chrome binary',
});
