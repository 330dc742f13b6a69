#!/usr/bin/env node
// ajv side of the comparison: JSON.parse + a compiled Ajv2020 validate per document, timed with
// process.hrtime.bigint after a warm-up, so the figure is comparable to campval's
// us_per_validation (strict parse + validation from raw bytes).
//
// usage: node ajv_bench.js RULES.json MIN_SECONDS FILE...   (FILE ending in .ndjson: one
// document per line, timed as a whole stream and reported per document)
// prints per FILE: "<file>: docs=N valid=true|false loop=L us_per_op=X MB/s=Y"
'use strict';
const fs = require('fs');
const Ajv2020 = require('ajv/dist/2020').default;
const { addCampvalFormats } = require('./campval_formats');

const [rulesPath, minSecArg, ...files] = process.argv.slice(2);
const minSec = Number(minSecArg) || 1;

const ajv = new Ajv2020({ allErrors: true, strict: false });
addCampvalFormats(ajv);
const t0 = process.hrtime.bigint();
const validate = ajv.compile(JSON.parse(fs.readFileSync(rulesPath, 'utf8')));
console.log(`rules=${rulesPath} compile_us=${(Number(process.hrtime.bigint() - t0) / 1e3).toFixed(1)}`);

function timeIt(fn, bytes, docs) {
  // warm-up: let V8 optimise parse and validate (at least 0.3 s and 20 rounds); the rounds it
  // takes size the measured loop so that it runs for about minSec
  let valid = true, n = 0;
  const w0 = process.hrtime.bigint();
  let wns = 0;
  while (n < 20 || wns < 3e8) {
    valid = fn();
    n++;
    wns = Number(process.hrtime.bigint() - w0);
  }
  const loop = Math.max(1, Math.ceil((n * minSec * 1e9 * 1.1) / wns));
  const s = process.hrtime.bigint();
  for (let i = 0; i < loop; i++) valid = fn();
  const ns = Number(process.hrtime.bigint() - s);
  return { loop, valid, us: ns / 1e3 / loop / docs, mbs: (bytes * loop) / (ns / 1e9) / 1e6 };
}

for (const f of files) {
  // Buffer -> string decoding is part of "from raw bytes", as campval starts from bytes too.
  const buf = fs.readFileSync(f);
  let fn, docs;
  if (f.endsWith('.ndjson')) {
    const bufs = [];
    let start = 0;
    for (let i = 0; i < buf.length; i++)
      if (buf[i] === 10) { if (i > start) bufs.push(buf.subarray(start, i)); start = i + 1; }
    if (start < buf.length) bufs.push(buf.subarray(start));
    docs = bufs.length;
    fn = () => {
      let all = true;
      for (const b of bufs) if (!validate(JSON.parse(b.toString('utf8')))) all = false;
      return all;
    };
  } else {
    docs = 1;
    fn = () => validate(JSON.parse(buf.toString('utf8')));
  }
  const r = timeIt(fn, buf.length, docs);
  if (!r.valid) console.error(`${f}: ajv says invalid:`, JSON.stringify(validate.errors).slice(0, 500));
  console.log(`${f}: docs=${docs} valid=${r.valid} loop=${r.loop} us_per_op=${r.us.toFixed(3)} MB/s=${(r.mbs).toFixed(1)}`);
}
