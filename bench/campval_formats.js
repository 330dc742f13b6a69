// campval's own formats for ajv, shared by ajv_bench.js and ajv_corpus.js: ajv-formats (uuid,
// date-time, ...) plus campval's e164, time-of-day and iana-timezone, written to accept exactly
// what src/format.c accepts.
'use strict';
const addFormats = require('ajv-formats').default;

// e164: "+", a country code that does not start with 0, at most 15 digits.
const E164 = /^\+[1-9][0-9]{1,14}$/;
// time-of-day: 24-hour "HH:mm" (00:00..23:59), or 12-hour "H[:mm]am|pm" with the hour 1..12
// without a leading zero, am/pm all lower or all upper case; no space, no seconds, no 24:00.
const TIME_OF_DAY = /^(?:(?:[01][0-9]|2[0-3]):[0-5][0-9]|(?:[1-9]|1[0-2])(?::[0-5][0-9])?(?:am|pm|AM|PM))$/;
// iana-timezone: a zone or link name of the IANA database. Intl.supportedValuesOf lists the
// canonical zones; the DateTimeFormat constructor also takes the links (Asia/Calcutta,
// US/Eastern, ...) but ignores case, which IANA names do not: every part of a real name starts
// with a capital letter. Known difference: campval also accepts the link "Factory".
const ZONES = new Set(Intl.supportedValuesOf('timeZone'));
ZONES.add('UTC');
const zoneCache = new Map();
function ianaTimezone(s) {
  if (ZONES.has(s)) return true;
  let ok = zoneCache.get(s);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: s });
      ok = s.split('/').every((part) => /^[A-Z]/.test(part));
    } catch (e) {
      ok = false;
    }
    if (zoneCache.size < 4096) zoneCache.set(s, ok);
  }
  return ok;
}

function addCampvalFormats(ajv) {
  addFormats(ajv);
  ajv.addFormat('e164', E164);
  ajv.addFormat('time-of-day', TIME_OF_DAY);
  ajv.addFormat('iana-timezone', { type: 'string', validate: ianaTimezone });
  return ajv;
}

module.exports = { addCampvalFormats };
