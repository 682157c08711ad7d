// Run first by `npm run test:webkit`: WebKit tests drive Debian's WebKitGTK (MiniBrowser under WebKitWebDriver,
// headless in Xvfb: scripts/webkit-launcher.mjs), never a browser downloaded by npm. What is missing is
// installed with one apt-get when we may (root, as in CI); otherwise it says what to install and fails.
import {ensureDebianTools} from './ensure-debian-tool.mjs';
import {MINIBROWSER_PATHS} from './webkit-launcher.mjs';

const tag = 'ensure-webkit';
const gstreamer = (pkg, what) => ({tag, pkg, what: `GStreamer ${what}`, needs: `WebKitGTK needs ${pkg} to play the test streams (${what})`});
ensureDebianTools([
  {
    tag, what: 'WebKitWebDriver and MiniBrowser (WebKitGTK)', pkg: 'webkit2gtk-driver', path: '/usr/bin/WebKitWebDriver',
    needs: 'the WebKit tests need WebKitWebDriver at /usr/bin/WebKitWebDriver',
    envVar: 'WEBKIT_DRIVER_PATH', envHint: 'a WebKitWebDriver binary',
  },
  {
    // webkit2gtk-driver depends on the library that ships MiniBrowser; checked in case only the library moved.
    tag, what: 'MiniBrowser (libwebkit2gtk-4.1-0)', pkg: 'libwebkit2gtk-4.1-0', path: MINIBROWSER_PATHS[0],
    needs: `the WebKit tests need MiniBrowser at ${MINIBROWSER_PATHS[0]}`,
    envVar: 'WEBKIT_MINIBROWSER_PATH', envHint: 'a WebKitGTK MiniBrowser binary',
  },
  {
    tag, what: 'Xvfb (a headless X server)', pkg: 'xvfb', path: '/usr/bin/Xvfb', command: 'Xvfb',
    needs: 'WebKitGTK needs an X display; the tests start their own Xvfb',
  },
  // The demo's HLS (MPEG-TS and fMP4, H.264/AAC): hlsdemux and tsdemux (bad), isomp4 (good), the decoders (libav).
  gstreamer('gstreamer1.0-plugins-good', 'MP4 demuxing'),
  gstreamer('gstreamer1.0-plugins-bad', 'HLS and MPEG-TS demuxing'),
  gstreamer('gstreamer1.0-libav', 'H.264 and AAC decoding'),
]);
