#!/usr/bin/env node
// Differential test (issue #15): campval's built-in create-campaign rules against ajv running
// docs.schema.json, a reference that holds only what the public docs state. On every generated
// payload the error verdicts must agree: campval valid <=> ajv valid. campval may add warnings
// (its policy checks), never errors the docs do not back.
//
// usage: node differential.js CAMPVAL SOURCE_ROOT [--rules NAME|FILE] [--count N] [--seed S]
//        [--keep FILE]
//   --rules  the campval rules (default campaign_create); e.g. a file of an older revision,
//            to measure how far it was from the docs
//   --keep   write the generated NDJSON there instead of a temporary file
// prints "differential: N payloads, M disagreements" and exits 1 on any disagreement, 77 (skip)
// when ajv is not installed (bench/node_modules or tests/differential/node_modules: `npm ci` in
// either folder).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : def;
};
const rules = opt('--rules', 'campaign_create');
const count = Number(opt('--count', '5000'));
const seed = Number(opt('--seed', '15'));
const keep = opt('--keep', null);
const [campval, root] = args;
if (!campval || !root) {
  console.error('usage: node differential.js CAMPVAL SOURCE_ROOT [--rules R] [--count N] [--seed S]');
  process.exit(2);
}

let Ajv2020, addFormats;
try {
  const paths = [path.join(root, 'tests/differential/node_modules'), path.join(root, 'bench/node_modules')];
  Ajv2020 = require(require.resolve('ajv/dist/2020', { paths })).default;
  addFormats = require(require.resolve('ajv-formats', { paths })).default;
} catch (e) {
  console.log('differential: skipped, ajv not installed (npm ci in bench/)');
  process.exit(77);
}

// ---- campval's formats for ajv (the same definitions as bench/campval_formats.js) ----------------
// e164: "+", a country code that does not start with 0, at most 15 digits.
const E164 = /^\+[1-9][0-9]{1,14}$/;
// time-of-day: 24-hour "HH:mm" (00:00..23:59), or 12-hour "H[:mm]am|pm", hour 1..12 without a
// leading zero, am/pm all lower or all upper case; no space, no seconds, no 24:00.
const TIME_OF_DAY = /^(?:(?:[01][0-9]|2[0-3]):[0-5][0-9]|(?:[1-9]|1[0-2])(?::[0-5][0-9])?(?:am|pm|AM|PM))$/;
// uuid: campval takes the 36-character hyphenated form only; ajv-formats would also take a
// "urn:uuid:" prefix, which the docs' example does not use.
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
// iana-timezone: checked by Intl with case-sensitive parts. The generator only uses zone names
// both databases agree on (campval's own table and the ICU data of node).
const ZONES = new Set(Intl.supportedValuesOf('timeZone'));
ZONES.add('UTC');
function ianaTimezone(s) {
  if (ZONES.has(s)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: s });
    return s.split('/').every((part) => /^[A-Z]/.test(part));
  } catch (e) {
    return false;
  }
}

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addFormat('uuid', UUID);
ajv.addFormat('e164', E164);
ajv.addFormat('time-of-day', TIME_OF_DAY);
ajv.addFormat('iana-timezone', { type: 'string', validate: ianaTimezone });
const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(__dirname, 'docs.schema.json'), 'utf8')));

// ---- seeded generator ------------------------------------------------------------------------
function mulberry32(a) {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = mulberry32(seed);
const chance = (p) => rnd() < p;
const pick = (a) => a[Math.floor(rnd() * a.length)];
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));

// Phones. The reference states no format for to_phone_number (the campaign docs give none,
// research §1.1), while campval keeps E.164 on it as an error (the README table says why), so
// to_phone_number is always drawn from VALID_PHONES: a bad to_phone_number would be a known,
// deliberate difference, not a finding. from_phone_number is documented E.164 and gets every
// shape. VALID_PHONES are numbers libphonenumber accepts as valid (the strict rules' case
// strict_valid_many_countries), and BAD_PHONES are all outside the E.164 shape, so x-phone
// (campaign_create_strict, --rules campaign_create_strict) can never call a number invalid that
// ajv's e164 regex passes, nor the reverse: phone validity cannot create a false disagreement.
const VALID_PHONES = ['+14155550123', '+33612345678', '+442079460958', '+4915123456789',
  '+819012345678', '+61412345678', '+5511912345678', '+34612345678', '+393123456789',
  '+918123456789', '+27821234567', '+6591234567', '+41781234567', '+6421234567'];
const BAD_PHONES = ['+1 (415) 555-0123', '14155550123', '0033612345678', '+0612345678',
  '+1234567890123456', '+', '', ' +14155550123', '+14155550123\n', '+1-415-555-0123',
  '\uff0b14155550123', 'to_phone_number'];
const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const BAD_DAYS = ['Monday', 'funday', 'mon', '', 1];
const TIMES = ['09:00', '17:00', '00:00', '23:59', '10am', '6pm', '5:30pm', '12am', '12PM', '1:05am'];
const BAD_TIMES = ['24:00', '9:00', '6 pm', '13pm', '0am', '09:00:00', '10:60', '', 'noon', 900];
const ZONE_NAMES = ['America/New_York', 'Europe/Paris', 'Asia/Tokyo', 'UTC', 'Australia/Sydney',
  'America/Sao_Paulo', 'Africa/Johannesburg'];
const BAD_ZONES = ['america/new_york', 'Mars/Olympus', 'EST5', 'Europe/Paris ', '', 'GMT+1'];
// at and over each documented edge, and wrong types
const COUNTERS = [1, 2, 3, 7200, 86400, 9007199254740991];
const BAD_COUNTERS = [0, -1, 1.5, 9007199254740992, '3', null, true];
const UUIDS = ['182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e', '00000000-0000-0000-0000-000000000000',
  'ABCDEF01-2345-6789-ABCD-EF0123456789'];
const BAD_UUIDS = ['182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26', 'urn:uuid:182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e',
  '182bd5e56e1a4fe4a799aa6d9a6ab26e', 'assistant_id', 42, null];
const NAMES = ['x', 'Spring renewals', 'Léa ☎', '🎉', ' ', 'a'.repeat(300)];
const BAD_NAMES = ['', 5, null, ['x']];
const UNKNOWN = ['max_concurent_calls', 'scheduled_at', 'type', 'Launch', 'timezone', 'extra'];

// Each member: usually good, sometimes missing (when optional, often), sometimes bad.
const BAD = 0.035;
function contact() {
  const c = {};
  if (!chance(0.01)) {
    c.prompt_variables = {};
    for (let i = int(0, 3); i > 0; i--) c.prompt_variables[pick(['first_name', 'plan', 'n', 'x y'])] = pick(['Dana', '', '3']);
    if (chance(BAD)) c.prompt_variables.seats = pick([3, true, null, {}]);
    if (chance(0.01)) c.prompt_variables = pick([[], 'a', null]);
  }
  if (!chance(0.01)) c.to_phone_number = chance(0.01) ? pick([14155550123, null]) : pick(VALID_PHONES);
  if (chance(0.01)) c[pick(UNKNOWN)] = 'x';
  return c;
}
function window_() {
  const w = {};
  if (!chance(0.02)) w.calling_window_start_time = chance(BAD) ? pick(BAD_TIMES) : pick(TIMES);
  if (!chance(0.02)) w.calling_window_end_time = chance(BAD) ? pick(BAD_TIMES) : pick(TIMES);
  if (!chance(0.02)) w.retry_delay_seconds = chance(BAD) ? pick(BAD_COUNTERS) : pick(COUNTERS);
  if (chance(0.01)) w[pick(UNKNOWN)] = 1;
  return w;
}
function retryConfig() {
  const r = {};
  if (!chance(0.02)) {
    // 0..8 days drawn with replacement: empty lists and repeated days come up often
    const n = chance(0.15) ? 0 : int(1, 8);
    r.allowed_days = [];
    for (let i = 0; i < n; i++) r.allowed_days.push(chance(BAD / 2) ? pick(BAD_DAYS) : pick(DAYS));
    if (chance(0.01)) r.allowed_days = pick(['monday', null, {}]);
  }
  if (!chance(0.02)) {
    r.calling_windows = [];
    for (let i = chance(0.15) ? 0 : int(1, 3); i > 0; i--) r.calling_windows.push(window_());
    if (chance(0.01)) r.calling_windows = pick([{}, null, 'x']);
  }
  if (!chance(0.02)) r.max_retry_attempts = chance(BAD) ? pick(BAD_COUNTERS) : pick(COUNTERS);
  if (chance(0.4)) r.call_twice_in_a_row = chance(BAD) ? pick(['true', 1, null]) : chance(0.5);
  if (chance(0.5)) r.timezone = chance(BAD) ? pick(BAD_ZONES) : pick(ZONE_NAMES);
  if (chance(0.01)) r[pick(UNKNOWN)] = 'x';
  return r;
}
function payload() {
  const p = {};
  if (!chance(0.01)) p.assistant_id = chance(BAD) ? pick(BAD_UUIDS) : pick(UUIDS);
  if (!chance(0.01)) {
    p.contacts = [];
    for (let i = chance(0.2) ? 0 : int(1, 4); i > 0; i--) p.contacts.push(contact());
    if (chance(0.01)) p.contacts = pick([{}, null, '[]']);
  }
  if (!chance(0.01)) p.launch = chance(BAD) ? pick(['true', 1, null]) : chance(0.5);
  if (!chance(0.01)) p.name = chance(BAD) ? pick(BAD_NAMES) : pick(NAMES);
  if (chance(0.5)) p.from_phone_number = chance(0.1) ? pick(BAD_PHONES.concat([null, 33612345678])) : pick(VALID_PHONES);
  if (chance(0.5)) p.max_concurrent_calls = chance(BAD * 2) ? pick([0, 0.5, -3, '5', null]) : pick([1, 1.5, 5, 100, 1e6]);
  if (chance(0.6)) p.call_retry_config = chance(0.01) ? null : retryConfig();
  if (chance(0.02)) p[pick(UNKNOWN)] = pick([1, 'x', null]);
  // members in a random order: document order must not matter
  const keys = Object.keys(p);
  for (let i = keys.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [keys[i], keys[j]] = [keys[j], keys[i]];
  }
  const out = {};
  for (const k of keys) out[k] = p[k];
  return out;
}

// ---- run both ----------------------------------------------------------------------------------
const docs = [];
for (let i = 0; i < count; i++) docs.push(JSON.stringify(payload()));
const file = keep || path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'campval-diff-')), 'payloads.ndjson');
fs.writeFileSync(file, docs.join('\n') + '\n');

let out;
try {
  out = execFileSync(campval, ['check', '--rules', rules, '--at', '2026-12-07', '--format', 'json', '--ndjson', file],
    { maxBuffer: 1 << 30, encoding: 'utf8' });
} catch (e) {
  if (e.status !== 1) throw e; // 1: some payload is invalid; 2 would be a usage or rules problem
  out = e.stdout;
}
const verdicts = new Map();
for (const line of out.split('\n')) {
  if (!line) continue;
  const r = JSON.parse(line);
  if (r.summary) continue; // the batch summary that ends the output
  verdicts.set(Number(r.file.slice(r.file.lastIndexOf(':') + 1)), r);
}

let disagreements = 0, valid = 0, warned = 0;
const shown = [];
for (let i = 0; i < docs.length; i++) {
  const r = verdicts.get(i + 1);
  const a = validate(JSON.parse(docs[i]));
  if (!r) {
    disagreements++;
    if (shown.length < 10) shown.push(`payload ${i + 1}: no campval result`);
    continue;
  }
  valid += a ? 1 : 0;
  warned += r.valid && r.warningCount > 0 ? 1 : 0;
  if (r.valid !== a) {
    disagreements++;
    if (shown.length < 10) {
      const errs = r.errors.filter((e) => e.severity === 'error').map((e) => `${e.code} at ${e.instanceLocation || '/'}`);
      const aj = (validate.errors || []).map((e) => `${e.keyword} at ${e.instancePath || '/'}`);
      shown.push(`payload ${i + 1}: campval ${r.valid ? 'valid' : 'invalid'} [${errs.join(', ')}], ` +
        `ajv ${a ? 'valid' : 'invalid'} [${aj.join(', ')}]\n  ${docs[i].slice(0, 400)}`);
    }
  }
}
for (const s of shown) console.log(s);
if (!keep) fs.rmSync(path.dirname(file), { recursive: true, force: true });
console.log(`rules ${rules}, seed ${seed}: ${valid} valid by the docs, ${warned} valid with campval warnings`);
console.log(`differential: ${docs.length} payloads, ${disagreements} disagreements`);
process.exit(disagreements ? 1 : 0);
