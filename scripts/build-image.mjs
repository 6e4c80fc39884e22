#!/usr/bin/env node
/**
 * Builds the mcp-gitops container image offline (deploy/container/Containerfile, FROM scratch).
 *
 * No base image can be pulled where this project is built, so the build context is assembled from
 * this machine: the product as `npm pack` packs it, installed with its production dependencies at
 * the versions package-lock.json pins (`npm ci --omit=dev --prefer-offline`, from npm's cache);
 * the node binary; what `serve` runs besides node — `git` with its HTTP(S) transport helper
 * (pull request heads are fetched with the git command line), `ssh` (ssh:// hosts) and `/bin/sh`;
 * the shared libraries `ldd` lists for each of them; CA certificates; /etc/passwd and /etc/group
 * naming the user 10001; /tmp. Then `podman build` (or docker) turns it into an image.
 *
 * Usage: node scripts/build-image.mjs [--tag REF] [--context DIR] [--no-build] [--reuse]
 *   --tag REF      image reference (default mcp-gitops:VERSION)
 *   --context DIR  assemble the context in DIR and keep it (default: a temp folder, removed after)
 *   --no-build     only assemble the context (with --context), for another builder
 *   --reuse        do nothing when REF exists and was built from the same inputs (their content
 *                  hash is the image's io.mcp-gitops.build-inputs label); else rebuild it and
 *                  remove the image it replaced
 * Env: BUILDER (default podman), CONTAINERS_CONF as podman reads it.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packIsolated } from './pack-isolated.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CONTAINERFILE = join(ROOT, 'deploy/container/Containerfile');
const UID = 10001;
const APP = '/opt/mcp-gitops';

/** What the image runs besides the product, at their Debian paths: source → path in the image. */
const PROGRAMS = [
  [process.execPath, '/usr/local/bin/node'],
  ['/usr/bin/git', '/usr/bin/git'],
  ['/usr/lib/git-core/git-remote-http', '/usr/lib/git-core/git-remote-http'],
  ['/usr/bin/ssh', '/usr/bin/ssh'],
  ['/usr/bin/dash', '/usr/bin/dash'],
];
/** Relative symlinks in the image: merged /usr, sh, git's exec path, the https helper. */
const LINKS = [
  ['bin', 'usr/bin'],
  ['sbin', 'usr/sbin'],
  ['lib', 'usr/lib'],
  ['lib64', 'usr/lib64'],
  ['usr/bin/sh', 'dash'],
  ['usr/lib/git-core/git', '../../bin/git'],
  ['usr/lib/git-core/git-remote-https', 'git-remote-http'],
];
const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
/** The product's inputs: what npm pack packs (dist is built from src) and how this image is made. */
const INPUT_PATHS = [
  'package.json',
  'package-lock.json',
  'bin',
  'src',
  'schemas',
  'policies',
  'environments',
  'examples',
  'templates',
  'scripts/build.mjs',
  'scripts/precompile-report-templates.mjs',
  'scripts/build-image.mjs',
  'scripts/pack-isolated.mjs',
  'deploy/container',
];

function parseArgs(argv) {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const opts = { tag: `mcp-gitops:${pkg.version}`, version: pkg.version, build: true, reuse: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--tag' || arg === '--context') {
      const value = argv[++i];
      if (!value) fail(`${arg} needs a value`);
      opts[arg.slice(2)] = value;
    } else if (arg === '--no-build') opts.build = false;
    else if (arg === '--reuse') opts.reuse = true;
    else fail(`unknown argument ${arg} (see the comment at the top of scripts/build-image.mjs)`);
  }
  if (!opts.build && !opts.context) fail('--no-build keeps nothing without --context DIR');
  return opts;
}

function fail(message) {
  process.stderr.write(`build-image: ${message}\n`);
  process.exit(2);
}

function sh(cmd, args, options = {}) {
  return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
}

/** Absolute paths of the shared libraries (and the loader) a dynamically linked program loads. */
function sharedLibraries(program) {
  const out = sh('ldd', [program]);
  if (/not found/.test(out)) fail(`${program} needs a library this machine lacks:\n${out}`);
  return [...new Set(out.match(/\/\S+/g) ?? [])];
}

function filesUnder(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => filesUnder(join(path, name)));
}

/** A content hash of everything the image is made of; binaries and libraries by size and mtime. */
function inputHash(natives) {
  const hash = createHash('sha256');
  for (const rel of INPUT_PATHS) {
    for (const file of filesUnder(join(ROOT, rel))) {
      hash.update(`${relative(ROOT, file)}\0`);
      hash.update(readFileSync(file));
    }
  }
  for (const file of [...natives, CA_BUNDLE]) {
    const st = statSync(file);
    hash.update(`${file}\0${st.size}\0${st.mtimeMs}\0`);
  }
  return hash.digest('hex').slice(0, 32);
}

function inspect(builder, tag, format) {
  try {
    return sh(builder, ['image', 'inspect', '--format', format, tag], {
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

const builtFrom = (builder, tag) =>
  inspect(builder, tag, '{{index .Config.Labels "io.mcp-gitops.build-inputs"}}');
const imageId = (builder, tag) => inspect(builder, tag, '{{.Id}}');

/** Copy a file (following symlinks) to `inside` the rootfs, creating its folders. */
function put(rootfs, source, inside, mode) {
  const target = join(rootfs, inside);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(source, target);
  if (mode !== undefined) chmodSync(target, mode);
}

function write(rootfs, inside, text, mode = 0o644) {
  const target = join(rootfs, inside);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text, { mode });
  chmodSync(target, mode);
}

function assembleSystem(rootfs) {
  mkdirSync(join(rootfs, 'usr/lib64'), { recursive: true });
  for (const dir of ['usr/bin', 'usr/sbin', 'usr/lib/git-core'])
    mkdirSync(join(rootfs, dir), { recursive: true });
  for (const [link, to] of LINKS) symlinkSync(to, join(rootfs, link));
  const libraries = new Set();
  for (const [source, inside] of PROGRAMS) {
    put(rootfs, source, inside, 0o755);
    for (const lib of sharedLibraries(source)) libraries.add(lib);
  }
  // Through the rootfs's merged-/usr links, /lib/... and /usr/lib/... land in one place.
  for (const lib of libraries) put(rootfs, lib, lib, 0o755);
  put(rootfs, CA_BUNDLE, CA_BUNDLE, 0o644);
  write(
    rootfs,
    'etc/passwd',
    `root:x:0:0:root:/root:/usr/sbin/nologin\nmcp-gitops:x:${UID}:${UID}:mcp-gitops:/var/lib/mcp-gitops:/bin/sh\n`,
  );
  write(rootfs, 'etc/group', `root:x:0:\nmcp-gitops:x:${UID}:\n`);
  write(rootfs, 'etc/nsswitch.conf', 'passwd: files\ngroup: files\nhosts: files dns\n');
  mkdirSync(join(rootfs, 'tmp'));
  chmodSync(join(rootfs, 'tmp'), 0o1777);
  return libraries;
}

/** The product as npm packs it, with its production dependencies at the locked versions. */
function assembleProduct(rootfs, scratch) {
  // In a private copy of the checkout: npm pack's prepare rebuilds dist/, which must not race
  // with another pack (the installed-CLI test) or with a user's edits.
  const tarball = packIsolated(join(scratch, 'pack'));
  const app = join(rootfs, APP);
  mkdirSync(app, { recursive: true });
  sh('tar', ['-xzf', tarball, '-C', app, '--strip-components=1', '--no-same-owner']);
  copyFileSync(join(ROOT, 'package-lock.json'), join(app, 'package-lock.json'));
  sh(
    'npm',
    [
      'ci',
      '--omit=dev',
      '--prefer-offline',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
    ],
    {
      cwd: app,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  if (existsSync(join(app, 'src'))) fail('the packed product has src/; the image must run dist/');
}

function revision() {
  try {
    return sh('git', ['-C', ROOT, 'rev-parse', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

function source() {
  try {
    const url = sh('git', ['-C', ROOT, 'remote', 'get-url', 'origin'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return /^https:\/\/[^@]+$/.test(url) ? url : '';
  } catch {
    return '';
  }
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const builder = process.env.BUILDER || 'podman';
  for (const [source] of PROGRAMS) {
    if (!existsSync(source)) fail(`${source} is missing (Debian: apt-get install git openssh-client dash)`);
  }
  const natives = [...new Set(PROGRAMS.flatMap(([source]) => [source, ...sharedLibraries(source)]))];
  const hash = inputHash(natives);
  if (opts.reuse && opts.build && builtFrom(builder, opts.tag) === hash) {
    process.stdout.write(`${opts.tag} is up to date (inputs ${hash})\n`);
    return;
  }
  const scratch = mkdtempSync(join(tmpdir(), 'mcp-gitops-image-'));
  const context = opts.context ? resolve(opts.context) : join(scratch, 'context');
  try {
    rmSync(context, { recursive: true, force: true });
    const rootfs = join(context, 'rootfs');
    mkdirSync(rootfs, { recursive: true });
    assembleSystem(rootfs);
    assembleProduct(rootfs, scratch);
    mkdirSync(join(context, 'home/.ssh'), { recursive: true, mode: 0o700 });
    copyFileSync(CONTAINERFILE, join(context, 'Containerfile'));
    if (!opts.build) {
      process.stdout.write(`context ready in ${context} (inputs ${hash})\n`);
      return;
    }
    const args = ['build', '-f', join(context, 'Containerfile'), '-t', opts.tag];
    for (const [name, value] of [
      ['VERSION', opts.version],
      ['REVISION', revision()],
      ['SOURCE', source()],
      ['CREATED', new Date().toISOString().replace(/\.\d+Z$/, 'Z')],
    ]) {
      args.push('--build-arg', `${name}=${value}`);
    }
    // podman: no intermediate image per instruction (nothing here is worth caching).
    if (builder.endsWith('podman')) args.push('--layers=false');
    args.push('--label', `io.mcp-gitops.build-inputs=${hash}`, context);
    const previous = imageId(builder, opts.tag);
    sh(builder, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    // --reuse rebuilds in place: the image this one replaced is untagged now, drop it.
    if (opts.reuse && previous && previous !== imageId(builder, opts.tag)) {
      try {
        sh(builder, ['rmi', previous], { stdio: 'ignore' });
      } catch {
        // still used by a container; it goes when that container does
      }
    }
    process.stdout.write(`built ${opts.tag} (inputs ${hash})\n`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main();
