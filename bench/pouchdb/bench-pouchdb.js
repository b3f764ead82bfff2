#!/usr/bin/env node
// bench-pouchdb.js: the PouchDB side of bench/bench-sync.c
//
//   node bench-pouchdb.js --docs FILE.ndjson --dir WORKDIR [--batch-size 1000]
//
// Starts pouchdb-server on 127.0.0.1 (a free port, its files in WORKDIR/server), fills a
// database with the documents of FILE (one JSON document a line, each with its _id) through
// _bulk_docs, then times a pouchdb-node replication of that database into an empty local
// LevelDB database (WORKDIR/local). The last line printed is one JSON object:
//   {"docs": N, "load_seconds": S, "replicate_seconds": S, "local_docs": N}
// Everything runs on this machine; nothing is sent anywhere else.
'use strict';

const fs = require('fs');
const net = require('net');
const path = require('path');
const readline = require('readline');
const { spawn } = require('child_process');
const PouchDB = require('pouchdb-node');

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = s.address().port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForServer(url, child, deadlineMs) {
  const end = Date.now() + deadlineMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error('pouchdb-server exited with ' + child.exitCode);
    try {
      const r = await fetch(url);
      if (r.ok)
        return;
    } catch (e) {
      // not yet
    }
    if (Date.now() > end)
      throw new Error('pouchdb-server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main() {
  const docsFile = arg('--docs');
  const dir = arg('--dir');
  const batchSize = parseInt(arg('--batch-size', '1000'), 10);
  if (!docsFile || !dir) {
    console.error('usage: bench-pouchdb.js --docs FILE.ndjson --dir WORKDIR [--batch-size N]');
    process.exit(2);
  }
  const serverDir = path.join(dir, 'server');
  const localDir = path.join(dir, 'local');
  fs.rmSync(serverDir, { recursive: true, force: true });
  fs.rmSync(localDir, { recursive: true, force: true });
  fs.mkdirSync(serverDir, { recursive: true });

  const port = await freePort();
  const bin = path.join(__dirname, 'node_modules', 'pouchdb-server', 'bin', 'pouchdb-server');
  const child = spawn(process.execPath, [bin, '--host', '127.0.0.1', '--port', String(port),
                                         '--dir', serverDir,
                                         '--config', path.join(serverDir, 'config.json'),
                                         '--no-stdout-logs'],
                      { cwd: serverDir, stdio: ['ignore', 'ignore', 'inherit'] });
  const stop = () => { if (child.exitCode === null) child.kill('SIGTERM'); };
  process.on('exit', stop);

  try {
    const base = 'http://127.0.0.1:' + port;
    await waitForServer(base + '/', child, 30000);
    const remote = new PouchDB(base + '/payvand');
    await remote.info();

    // Fill the server.
    const loadStart = process.hrtime.bigint();
    const rl = readline.createInterface({ input: fs.createReadStream(docsFile) });
    let batch = [];
    let docs = 0;
    for await (const line of rl) {
      if (line.length === 0)
        continue;
      batch.push(JSON.parse(line));
      if (batch.length >= 1000) {
        await bulk(remote, batch);
        docs += batch.length;
        batch = [];
      }
    }
    if (batch.length > 0) {
      await bulk(remote, batch);
      docs += batch.length;
    }
    const loadSeconds = Number(process.hrtime.bigint() - loadStart) / 1e9;
    console.error(`pouchdb-server: ${docs} documents loaded in ${loadSeconds.toFixed(1)} s`);

    // The measurement: an empty local database replicates everything.
    const local = new PouchDB(localDir);
    const start = process.hrtime.bigint();
    const result = await local.replicate.from(remote, { batch_size: batchSize });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const info = await local.info();
    if (!result.ok)
      throw new Error('replication failed: ' + JSON.stringify(result.errors));
    console.log(JSON.stringify({ docs, load_seconds: loadSeconds, replicate_seconds: seconds,
                                 local_docs: info.doc_count, docs_written: result.docs_written }));
    await local.close();
    await remote.close();
  } finally {
    stop();
  }
}

async function bulk(db, batch) {
  const res = await db.bulkDocs(batch);
  for (const r of res)
    if (r.error)
      throw new Error('bulkDocs: ' + JSON.stringify(r));
}

main().catch((e) => {
  console.error('bench-pouchdb: ' + (e && e.stack ? e.stack : e));
  process.exit(1);
});
