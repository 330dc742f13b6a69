#!/usr/bin/env node
// ajv side of bench/corpus.sh: one schema, one JSONL file of instances. A run is what campval's
// `check --ndjson --benchmark` times as the whole file: every line from raw bytes (Buffer ->
// string, JSON.parse) through a compiled validate (allErrors, ajv-formats and campval's formats).
// Runs are timed one by one after a warm-up, as campval times them.
//
// usage: node ajv_corpus.js SCHEMA.json INSTANCES.jsonl MIN_SECONDS
// prints: "ajv: lines=N bytes=B invalid_lines=K loop=L compile_us=C us_per_run=M min_us=...
//          max_us=... stddev_us=... rsd_pct=..."
'use strict';
const fs = require('fs');
const { addCampvalFormats } = require('./campval_formats');

const [schemaPath, instancesPath, minSecArg] = process.argv.slice(2);
const minSec = Number(minSecArg) || 1;

// The dialect from $schema, as campval reads it (2020-12 when there is none).
const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
const dialect = String(schema.$schema || '');
const Ajv = dialect.includes('draft-07') || dialect.includes('draft-06')
  ? require('ajv').default
  : dialect.includes('2019-09') ? require('ajv/dist/2019').default : require('ajv/dist/2020').default;
const ajv = addCampvalFormats(new Ajv({ allErrors: true, strict: false }));
const t0 = process.hrtime.bigint();
const validate = ajv.compile(schema);
const compileUs = Number(process.hrtime.bigint() - t0) / 1e3;

// Lines as campval takes them: CR stripped, blank lines skipped.
const buf = fs.readFileSync(instancesPath);
const lines = [];
for (let start = 0; start < buf.length;) {
  let end = buf.indexOf(10, start);
  if (end < 0) end = buf.length;
  let stop = end;
  if (stop > start && buf[stop - 1] === 13) stop--;
  const line = buf.subarray(start, stop);
  if (!/^[ \t\r]*$/.test(line.toString('latin1'))) lines.push(line);
  start = end + 1;
}

function run() { // invalid lines (a line that is not JSON is invalid)
  let bad = 0;
  for (const b of lines) {
    let doc;
    try {
      doc = JSON.parse(b.toString('utf8'));
    } catch (e) {
      bad++;
      continue;
    }
    if (!validate(doc)) bad++;
  }
  return bad;
}

// warm-up: at least 0.3 s and 20 runs; the runs it takes size the timed loop to about minSec
let n = 0, invalid = 0;
const w0 = process.hrtime.bigint();
let wns = 0;
while (n < 20 || wns < 3e8) {
  invalid = run();
  n++;
  wns = Number(process.hrtime.bigint() - w0);
}
const loop = Math.max(3, Math.ceil((n * minSec * 1e9) / wns));
let sum = 0, sumsq = 0, min = Infinity, max = 0;
let t = process.hrtime.bigint();
for (let i = 0; i < loop; i++) {
  invalid = run();
  const u = process.hrtime.bigint();
  const ns = Number(u - t);
  t = u;
  sum += ns;
  sumsq += ns * ns;
  if (ns < min) min = ns;
  if (ns > max) max = ns;
}
const mean = sum / loop;
const sd = loop > 1 ? Math.sqrt(Math.max(0, (sumsq - (sum * sum) / loop) / (loop - 1))) : 0;
const us = (x) => (x / 1e3).toFixed(3);
console.log(`ajv: lines=${lines.length} bytes=${buf.length} invalid_lines=${invalid} loop=${loop} ` +
  `compile_us=${compileUs.toFixed(1)} us_per_run=${us(mean)} min_us=${us(min)} max_us=${us(max)} ` +
  `stddev_us=${us(sd)} rsd_pct=${(mean > 0 ? (100 * sd) / mean : 0).toFixed(1)}`);
