// The WebKit engine for @web/test-runner: Debian's WebKitGTK (webkit2gtk-driver, installed by
// scripts/ensure-webkit.mjs) through @web/test-runner-webdriver, headless under a private Xvfb. The launcher
// starts its own X server and WebKitWebDriver when the runner first needs the browser and stops both with it,
// so choosing another engine costs nothing. docs/engines.md says what differs in WebKit.
import {WebdriverLauncher} from '@web/test-runner-webdriver';
import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {createServer} from 'node:net';

/** Debian's WebKitGTK browser for automation (webkit2gtk-driver), 4.1 (libsoup 3) before 4.0. */
export const MINIBROWSER_PATHS = ['4.1', '4.0'].map((api) => `/usr/lib/x86_64-linux-gnu/webkit2gtk-${api}/MiniBrowser`);
const DRIVER = process.env.WEBKIT_DRIVER_PATH || '/usr/bin/WebKitWebDriver';
const STARTUP_MS = 20000;

/** The MiniBrowser to drive: WEBKIT_MINIBROWSER_PATH, else the first Debian path that exists. */
export function miniBrowserPath() {
  return process.env.WEBKIT_MINIBROWSER_PATH || MINIBROWSER_PATHS.find((path) => existsSync(path)) || MINIBROWSER_PATHS[0];
}

/** A TCP port nobody listens on now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts `command` and fails with its output when it exits early; the caller stops it. */
function start(command, args, env) {
  const child = spawn(command, args, {env: {...process.env, ...env}, stdio: ['ignore', 'pipe', 'pipe', 'pipe']});
  let output = '';
  for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(`${command} exited (${signal ?? code}): ${output.trim()}`)));
  return child;
}

/** Resolves when `ready` does, or rejects when `child` exits or STARTUP_MS pass first. */
async function whenReady(child, ready, what) {
  let timer;
  const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not start in ${STARTUP_MS} ms`)), STARTUP_MS)));
  const exited = child.exited.then((why) => Promise.reject(new Error(why)));
  try {
    return await Promise.race([ready, exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** An X server of our own (the display number Xvfb picks, written to fd 3): headless on any machine. */
async function startXvfb(children) {
  const xvfb = start('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp']);
  children.push(xvfb);
  const display = new Promise((resolve) => {
    let text = '';
    xvfb.stdio[3].on('data', (chunk) => {
      text += chunk;
      if (text.includes('\n')) resolve(`:${text.trim()}`);
    });
  });
  return whenReady(xvfb, display, 'Xvfb');
}

/** Polls the driver's /status until it says it is ready for a session. */
async function driverReady(port) {
  for (;;) {
    try {
      const status = await (await fetch(`http://127.0.0.1:${port}/status`)).json();
      if (status.value?.ready) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

class WebKitLauncher extends WebdriverLauncher {
  /** Xvfb and WebKitWebDriver, stopped with the launcher. */
  #children = [];
  #browserArgs;

  constructor(browserArgs) {
    // Capabilities and port are set in initialize(), once the driver runs.
    super({capabilities: {}});
    this.#browserArgs = browserArgs;
  }

  async initialize(config, testFiles) {
    process.once('exit', () => this.#children.forEach((child) => child.kill())); // the runner crashed or was stopped
    const display = process.env.WEBKIT_DISPLAY || (await startXvfb(this.#children));
    const port = await freePort();
    // WebKitGTK plays HLS natively through GStreamer's hlsdemux only when asked (off by default upstream);
    // Safari always does, and kolkit's native path needs it. Under the C locale (CI's) WebKitGTK reports
    // navigator.language "C", which no browser a shopper uses does and Intl refuses: a real language instead.
    const driver = start(DRIVER, [`--port=${port}`], {DISPLAY: display, WEBKIT_GST_ENABLE_HLS_SUPPORT: '1', LANG: 'en_US.UTF-8'});
    this.#children.push(driver);
    await whenReady(driver, driverReady(port), 'WebKitWebDriver');
    Object.assign(this.options, {
      hostname: '127.0.0.1',
      port,
      path: '/',
      logLevel: 'error',
      capabilities: {
        // webdriverio would otherwise ask for a WebDriver BiDi socket, which the runner does not use.
        'wdio:enforceWebDriverClassic': true,
        'webkitgtk:browserOptions': {binary: miniBrowserPath(), args: ['--automation', ...this.#browserArgs]},
      },
    });
    await super.initialize(config, testFiles);
    this.name = 'WebKit';
  }

  async stop() {
    try {
      await super.stop();
    } finally {
      for (const child of this.#children.reverse()) child.kill();
      this.#children = [];
    }
  }
}

/**
 * A @web/test-runner launcher for WebKitGTK's MiniBrowser under WebKitWebDriver and Xvfb (WEBKIT_DISPLAY names
 * an X display to use instead). `browserArgs` go to MiniBrowser after `--automation` (e.g. `--features=…`).
 */
export function webkitLauncher({browserArgs = []} = {}) {
  return new WebKitLauncher(browserArgs);
}
