#!/usr/bin/env node
/*
 * Starts firebase-tools' Cloud Storage emulator (its real GCS JSON-API server) without the Java rules
 * runtime, which only the Firebase SDK routes need. Offline, no JDK, ready in well under a second.
 *
 *   node tools/gcs-emulator/launch.cjs [--host 127.0.0.1] [--port 0] [--project demo-test]
 *
 * Prints one line to stdout when ready: {"url":"http://127.0.0.1:<port>","port":<port>,"pid":<pid>}.
 * Object bytes live in a private temporary directory (instances sharing one would wipe each other's
 * blobs on stop), removed on SIGTERM/SIGINT. Uses firebase-tools' internal lib/ paths: the version is
 * pinned exactly in this folder's package.json.
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const host = option('host', '127.0.0.1');
const requestedPort = Number(option('port', '0'));
const projectId = option('project', 'demo-test');
if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
  process.stderr.write(`gcs-emulator: --port must be an integer 0-65535, got ${option('port')}\n`);
  process.exit(2);
}

// A private TMPDIR before firebase-tools is loaded: its persistence directory derives from os.tmpdir().
const privateTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gcs-emulator-'));
process.env.TMPDIR = privateTmp;

const lib = path.join(path.dirname(require.resolve('firebase-tools/package.json')), 'lib');
const { StorageEmulator } = require(path.join(lib, 'emulator/storage'));
const { createApp } = require(path.join(lib, 'emulator/storage/server'));
const { EmulatorRegistry } = require(path.join(lib, 'emulator/registry'));

class RulelessStorageEmulator extends StorageEmulator {
  async start() {
    const app = await createApp(this.args.projectId, this);
    this.server = await new Promise((resolve, reject) => {
      const server = app.listen(this.args.port, this.args.host);
      server.once('listening', () => resolve(server));
      server.once('error', reject);
    });
    this.sockets = new Set();
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    // Port 0: from now on the registry (which builds selfLink/mediaLink) reports the chosen port.
    this.args.port = this.server.address().port;
  }

  getInfo() {
    return { name: this.getName(), host: this.args.host, port: this.args.port };
  }

  async stop() {
    await this._persistence.deleteAll().catch(() => {});
    if (!this.server) return;
    await new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
  }
}

const emulator = new RulelessStorageEmulator({
  projectId,
  host,
  port: requestedPort,
  rules: { name: 'none', content: '' },
  auto_download: false,
});

let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  try {
    await emulator.stop();
  } finally {
    fs.rmSync(privateTmp, { recursive: true, force: true });
    process.exit(code);
  }
}
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGINT', () => void shutdown(0));
// A parent that dies without signalling (its stdin pipe closes) must not leave us running.
if (process.argv.includes('--exit-with-stdin')) {
  process.stdin.on('end', () => void shutdown(0));
  process.stdin.resume();
}

EmulatorRegistry.set(emulator.getName(), emulator);
emulator.start().then(
  () => {
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${emulator.args.port}`;
    process.stdout.write(`${JSON.stringify({ url, port: emulator.args.port, pid: process.pid })}\n`);
  },
  (err) => {
    process.stderr.write(`gcs-emulator: cannot start on ${host}:${requestedPort}: ${err && err.message}\n`);
    void shutdown(1);
  },
);
