// Run first by `npm test`: the tests drive Debian's Chromium and Firefox ESR (web-test-runner.config.mjs),
// never a browser downloaded by npm. If one is missing and we may install packages (root with apt-get, as in
// CI), install it; otherwise say what to install and fail before the long test run does. WTR_BROWSERS (as in
// the test config) limits it to the engines a run uses.
import {ensureDebianTools} from './ensure-debian-tool.mjs';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const DEBIAN_FIREFOX = '/usr/bin/firefox-esr';
// The test config launches CHROME_PATH / FIREFOX_PATH when they are set.
const engines = {
  chromium: [{
    tag: 'ensure-browser', what: 'Chromium', pkg: 'chromium', path: DEBIAN_CHROMIUM,
    needs: `the tests need Chromium at ${DEBIAN_CHROMIUM}`,
    envVar: 'CHROME_PATH', envHint: 'a Chromium or Chrome binary',
  }],
  firefox: [{
    tag: 'ensure-browser', what: 'Firefox ESR', pkg: 'firefox-esr', path: DEBIAN_FIREFOX,
    needs: `the tests need Firefox ESR at ${DEBIAN_FIREFOX}`,
    envVar: 'FIREFOX_PATH', envHint: 'a Firefox binary (driven over WebDriver BiDi)',
  }, {
    // Debian's Firefox plays H.264/AAC (the demo's HLS) through the system's FFmpeg; without recommends,
    // firefox-esr does not pull it in, and every playback test would fail to decode.
    tag: 'ensure-browser', what: 'FFmpeg 5.1 (H.264/AAC in Firefox)', pkg: 'libavcodec59',
    needs: 'Firefox needs libavcodec59 to play the H.264/AAC test streams',
  }],
};
const names = (process.env.WTR_BROWSERS || 'chromium,firefox').split(',').map((name) => name.trim()).filter(Boolean);
ensureDebianTools(names.flatMap((name) => engines[name] ?? []));
