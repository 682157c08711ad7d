// What ensure-browser.mjs and ensure-nats.mjs share: a test needs a program from Debian, never one downloaded
// by npm. If `override` (an environment variable) names one, that, and only that, must exist. Otherwise the
// Debian path (or the program on PATH, when `onPath` says so) is enough; if it is missing and we may install
// packages (root with apt-get, as in CI), install the package; otherwise say what to install and fail.
import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';

/**
 * Exits 0 when the tool is there (or was just installed), else 1 after saying what to do.
 * @param {{tag: string, what: string, needs: string, path: string, pkg: string, envVar: string,
 *   envHint: string, command?: string}} tool `command`: also accept this program name found on PATH
 */
export function ensureDebianTool({tag, what, needs, path, pkg, envVar, envHint, command}) {
  const override = process.env[envVar];
  if (override) {
    if (existsSync(override)) process.exit(0);
    console.error(`${tag}: ${envVar}=${override} does not exist. Fix it, or unset it to use ${path}.`);
    process.exit(1);
  }
  const found = () => existsSync(path) || (!!command && spawnSync('sh', ['-c', `command -v ${command}`], {stdio: 'ignore'}).status === 0);
  if (found()) process.exit(0);

  const canInstall = process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], {stdio: 'ignore'}).status === 0;
  if (canInstall) {
    console.log(`${tag}: ${what} is missing; installing the Debian package (apt-get install ${pkg})…`);
    const env = {...process.env, DEBIAN_FRONTEND: 'noninteractive'};
    const apt = (...args) => spawnSync('apt-get', args, {stdio: 'inherit', env}).status === 0;
    if (apt('update') && apt('install', '-y', '--no-install-recommends', pkg) && found()) process.exit(0);
    console.error(`${tag}: installing ${pkg} with apt-get failed (see above).`);
  }

  console.error(
    `${tag}: ${needs}.\n` +
      `  Install it:  sudo apt-get install ${pkg}\n` +
      `  or set ${envVar} to ${envHint}.`,
  );
  process.exit(1);
}
