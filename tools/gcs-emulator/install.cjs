#!/usr/bin/env node
/*
 * Installs the GCS emulator's own dependencies (firebase-tools, pinned) into tools/gcs-emulator, with
 * optional dependencies omitted so firebase-tools' native `re2` is never built. Run by the root
 * package's postinstall, so a plain `npm ci` at the root sets everything up. Quick when already
 * installed: a stamp records the hash of this folder's package-lock.json.
 *
 * Skipped for production installs (`--omit=dev`) and when SKIP_GCS_EMULATOR_INSTALL=1.
 */
'use strict';
const { createHash } = require('node:crypto');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const dir = __dirname;
const stampPath = path.join(dir, 'node_modules', '.installed-lock-sha256');
const omitted = String(process.env.npm_config_omit || '').split(/[\s,]+/);

if (process.env.SKIP_GCS_EMULATOR_INSTALL === '1' || omitted.includes('dev') || process.env.NODE_ENV === 'production') {
  process.stdout.write('gcs-emulator: install skipped\n');
  process.exit(0);
}

const lockHash = createHash('sha256').update(fs.readFileSync(path.join(dir, 'package-lock.json'))).digest('hex');
const installed = fs.existsSync(path.join(dir, 'node_modules', 'firebase-tools', 'package.json'));
if (installed && fs.existsSync(stampPath) && fs.readFileSync(stampPath, 'utf8').trim() === lockHash) {
  process.exit(0);
}

// The parent npm's settings (omit, include, prefix, global, ...) must not leak into this install;
// connection settings (registry, cache, proxies, certificates) are kept.
const KEEP = /^npm_config_(registry|cache|userconfig|globalconfig|proxy|https_proxy|http_proxy|noproxy|no_proxy|strict_ssl|cafile|ca|offline|prefer_offline|prefer_online|fetch_.*|loglevel)$/i;
const env = {};
for (const [key, value] of Object.entries(process.env)) {
  if (/^npm_config_/i.test(key) && !KEEP.test(key)) continue;
  env[key] = value;
}

const npmCli = process.env.npm_execpath && /npm-cli\.js$/.test(process.env.npm_execpath) ? process.env.npm_execpath : undefined;
const command = npmCli ? process.execPath : process.platform === 'win32' ? 'npm.cmd' : 'npm';
const args = [...(npmCli ? [npmCli] : []), 'ci', '--omit=optional', '--no-audit', '--no-fund', '--prefix', dir];
process.stdout.write('gcs-emulator: installing firebase-tools (optional dependencies omitted)\n');
const result = spawnSync(command, args, { stdio: 'inherit', env });
if (result.status !== 0) {
  process.stderr.write(`gcs-emulator: npm ci in ${path.relative(process.cwd(), dir) || dir} failed (exit ${result.status})\n`);
  process.exit(result.status || 1);
}
fs.writeFileSync(stampPath, `${lockHash}\n`);
