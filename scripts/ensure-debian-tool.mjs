// What ensure-browser.mjs and ensure-nats.mjs share: a test needs a program from Debian, never one downloaded
// by npm. If `override` (an environment variable) names one, that, and only that, must exist. Otherwise the
// Debian path (or the program on PATH, when `onPath` says so) is enough; if it is missing and we may install
// packages (root with apt-get, as in CI), install the package; otherwise say what to install and fail.
import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';

/**
 * @typedef {{tag: string, what: string, needs: string, pkg: string, path?: string, envVar?: string,
 *   envHint?: string, command?: string}} DebianTool
 * `path`: the Debian path of the program (without it, the package counts as present when dpkg has it
 * installed: a library); `command`: also accept this program name found on PATH; `envVar`: an environment
 * variable that may name another binary instead.
 */

/** Exits 0 when the tool is there (or was just installed), else 1 after saying what to do. */
export function ensureDebianTool(tool) {
  ensureDebianTools([tool]);
}

/**
 * Exits 0 when every tool is there (the missing ones installed with one apt-get), else 1 after saying what
 * to do for each one still missing.
 * @param {DebianTool[]} tools
 */
export function ensureDebianTools(tools) {
  const problems = [];
  const missing = [];
  for (const tool of tools) {
    const override = tool.envVar && process.env[tool.envVar];
    if (!override) {
      if (!found(tool)) missing.push(tool);
    } else if (!existsSync(override)) {
      problems.push(`${tool.tag}: ${tool.envVar}=${override} does not exist. Fix it, or unset it to use ${tool.path}.`);
    }
  }
  if (problems.length) {
    for (const problem of problems) console.error(problem);
    process.exit(1);
  }
  if (!missing.length) process.exit(0);

  const pkgs = missing.map((tool) => tool.pkg);
  const canInstall = process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], {stdio: 'ignore'}).status === 0;
  if (canInstall) {
    for (const tool of missing) console.log(`${tool.tag}: ${tool.what} is missing; installing the Debian package (apt-get install ${tool.pkg})…`);
    const env = {...process.env, DEBIAN_FRONTEND: 'noninteractive'};
    const apt = (...args) => spawnSync('apt-get', args, {stdio: 'inherit', env}).status === 0;
    if (apt('update') && apt('install', '-y', '--no-install-recommends', ...pkgs) && missing.every(found)) process.exit(0);
    console.error(`${missing[0].tag}: installing ${pkgs.join(' ')} with apt-get failed (see above).`);
  }

  for (const {tag, needs, pkg, envVar, envHint} of missing) {
    console.error(
      `${tag}: ${needs}.\n` +
        `  Install it:  sudo apt-get install ${pkg}` +
        (envVar ? `\n  or set ${envVar} to ${envHint}.` : ''),
    );
  }
  process.exit(1);
}

/** @param {DebianTool} tool */
function found({path, pkg, command}) {
  if (path) return existsSync(path) || (!!command && spawnSync('sh', ['-c', `command -v ${command}`], {stdio: 'ignore'}).status === 0);
  const status = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], {encoding: 'utf8'});
  return status.status === 0 && status.stdout.includes('install ok installed');
}
