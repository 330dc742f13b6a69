#!/usr/bin/env node
// Generate campaign_create payloads for the benchmark: deterministic (seeded PRNG), all valid
// against rules/campaign_create.schema.json. Writes into the directory given as argv[2].
'use strict';
const fs = require('fs');
const path = require('path');

const out = process.argv[2] || path.join(__dirname, 'out');
fs.mkdirSync(out, { recursive: true });

let seed = 0x2545f491;
function rnd(n) { // xorshift32: same payloads on every run and every machine
  seed ^= seed << 13; seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5; seed >>>= 0;
  return seed % n;
}
const pick = (a) => a[rnd(a.length)];
const digits = (n) => { let s = ''; for (let i = 0; i < n; i++) s += rnd(10); return s; };
const hex = (n) => { let s = ''; for (let i = 0; i < n; i++) s += '0123456789abcdef'[rnd(16)]; return s; };
const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[rnd(4)]}${hex(3)}-${hex(12)}`;

// Real-looking numbers of several countries, all E.164: country code + national number.
const countries = [['1', 10], ['33', 9], ['49', 11], ['44', 10], ['34', 9], ['61', 9], ['81', 10]];
function phone() { const [cc, n] = pick(countries); return '+' + cc + String(1 + rnd(9)) + digits(n - 1); }

// Some names carry non-ASCII letters and one last name in eight an escaped apostrophe (U+2019), so the
// UTF-8 and escape paths of every parser are exercised, as they are by real contact lists.
const firsts = ['Dana', 'Léa', 'Jürgen', 'Amir', 'Chloé', 'Kenji', 'Sofía', 'Olu', 'Mia', 'Noah'];
const lasts = ['Smith', 'Martin', 'Müller', 'García', 'Tanaka', 'O\u2019Brien', 'Nguyen', 'Rossi'];
const plans = ['Free', 'Starter', 'Pro', 'Team', 'Enterprise'];
function contact() {
  return {
    to_phone_number: phone(),
    prompt_variables: {
      first_name: pick(firsts),
      last_name: pick(lasts),
      plan: pick(plans),
      renewal_date: `2026-${String(1 + rnd(12)).padStart(2, '0')}-${String(1 + rnd(28)).padStart(2, '0')}`,
    },
  };
}

const zones = ['America/New_York', 'Europe/Paris', 'Europe/Berlin', 'Asia/Tokyo', 'Australia/Sydney'];
const days = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
// The small request (one contact, ~330 bytes) has no call_retry_config, the optional member
// that the medium and large ones carry so that time-of-day and iana-timezone are exercised.
function request(ncontacts, retry) {
  const contacts = [];
  for (let i = 0; i < ncontacts; i++) contacts.push(contact());
  const req = {
    assistant_id: uuid(),
    name: 'Renewal reminders ' + digits(4),
    launch: rnd(2) === 1,
    from_phone_number: phone(),
    max_concurrent_calls: 1 + rnd(20),
    contacts,
  };
  if (retry)
    req.call_retry_config = {
      allowed_days: days.slice(0, 1 + rnd(5)),
      calling_windows: [
        { calling_window_start_time: pick(['09:00', '9am', '10:30']), calling_window_end_time: pick(['17:00', '6pm', '5:30pm']), retry_delay_seconds: 3600 },
      ],
      max_retry_attempts: 1 + rnd(5),
      timezone: pick(zones),
    };
  return req;
}

// Escape U+2019 as \u2019 in the text (JSON.stringify keeps it raw).
const text = (v) => JSON.stringify(v).replace(/\u2019/g, '\\u2019');

fs.writeFileSync(path.join(out, 'small.json'), text(request(1, false)));
fs.writeFileSync(path.join(out, 'medium.json'), text(request(100, true)));
fs.writeFileSync(path.join(out, 'large.json'), text(request(10000, true)));
const lines = [];
for (let i = 0; i < 10000; i++) lines.push(text(request(1, false)));
fs.writeFileSync(path.join(out, 'stream.ndjson'), lines.join('\n') + '\n');
