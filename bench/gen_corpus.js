#!/usr/bin/env node
// Writes the instances of the sample corpus (bench/corpus/*/instances.jsonl, one document per
// line), deterministic like gen.js: campaign_create requests (the first lines of gen.js's stream),
// shop orders and analytics events for the two generic schemas. All valid.
//
// usage: node gen_corpus.js [DIR]   (default: bench/corpus)
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');

const dir = process.argv[2] || path.join(__dirname, 'corpus');

let seed = 0x9e3779b9;
function rnd(n) { // xorshift32, as gen.js
  seed ^= seed << 13; seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5; seed >>>= 0;
  return seed % n;
}
const pick = (a) => a[rnd(a.length)];
const chars = (set, n) => { let s = ''; for (let i = 0; i < n; i++) s += set[rnd(set.length)]; return s; };
const pad = (x, n) => String(x).padStart(n, '0');

function order() {
  const items = [];
  const n = 1 + rnd(6);
  for (let i = 0; i < n; i++) {
    const it = { sku: chars('ABCDEFGHJKLMNPQRSTUVWXYZ', 3) + '-' + chars('0123456789', 4),
      quantity: 1 + rnd(12), unit_price: (1 + rnd(20000)) / 100 };
    if (rnd(5) === 0) it.gift = true;
    items.push(it);
  }
  const first = pick(['Dana', 'Léa', 'Jürgen', 'Amir', 'Chloé', 'Kenji', 'Sofía', 'Olu']);
  const o = {
    id: 'ord_' + chars('0123456789abcdefghijklmnopqrstuvwxyz', 12),
    customer: { name: `${first} ${pick(['Smith', 'Müller', 'García', 'O\u2019Brien', 'Tanaka'])}`,
      email: `${first.toLowerCase()}.${rnd(1000)}@${pick(['example.com', 'mail.test', 'shop.example'])}` },
    items,
    currency: pick(['EUR', 'USD', 'GBP', 'JPY', 'CHF']),
    status: pick(['pending', 'paid', 'shipped', 'delivered', 'cancelled']),
    created: `202${rnd(7)}-${pad(1 + rnd(12), 2)}-${pad(1 + rnd(28), 2)}T${pad(rnd(24), 2)}:${pad(rnd(60), 2)}:${pad(rnd(60), 2)}Z`,
  };
  if (rnd(3) === 0) o.customer.vip = rnd(2) === 0;
  if (rnd(4) !== 0)
    o.shipping = { street: `${1 + rnd(200)} ${pick(['Main St', 'Rue de Rivoli', 'Hauptstraße', 'Calle Mayor'])}`,
      city: pick(['Springfield', 'Paris', 'Berlin', 'Madrid', 'Osaka']),
      postal_code: chars('0123456789', 5), country: pick(['US', 'FR', 'DE', 'ES', 'JP']) };
  if (rnd(2) === 0) o.tags = [...new Set([pick(['new', 'repeat']), pick(['promo', 'gift', 'b2b']), pick(['web', 'app'])])];
  if (rnd(6) === 0) o.note = rnd(2) ? null : 'Leave at the door, please.';
  return o;
}

function event() {
  const kind = pick(['click', 'click', 'view', 'view', 'view', 'purchase']);
  const e = { event: kind, ts: 1767225600000 + rnd(1e9), user: { id: 'u' + chars('0123456789', 6 + rnd(5)) } };
  if (rnd(3) === 0) e.user.locale = pick(['en', 'fr-FR', 'de', 'ja-JP', 'es-ES']);
  if (rnd(10) === 0) e.user.anonymous = true;
  if (rnd(2) === 0) {
    e.attrs = {};
    const n = 1 + rnd(5);
    for (let i = 0; i < n; i++)
      e.attrs[pick(['campaign', 'ab_group', 'referrer', 'screen_w', 'dark_mode', 'build'])] =
        pick([chars('abcdefgh', 6), rnd(4000), rnd(2) === 0]);
  }
  if (kind === 'click' && rnd(4) !== 0)
    e.payload = { kind, x: rnd(1920), y: rnd(1080), target: pick(['#buy', 'nav a.home', 'button.close']) };
  else if (kind === 'view' && rnd(4) !== 0)
    e.payload = { kind, path: pick(['/', '/pricing', '/docs/start', '/blog/2026/launch']), duration_ms: rnd(60000) / 10 };
  else if (kind === 'purchase')
    e.payload = { kind, amount: (1 + rnd(50000)) / 100, items: [...new Set([pick(['sku-1', 'sku-2']), pick(['sku-3', 'sku-4', 'sku-5'])])] };
  return e;
}

function write(name, lines) {
  fs.mkdirSync(path.join(dir, name), { recursive: true });
  fs.writeFileSync(path.join(dir, name, 'instances.jsonl'), lines.join('\n') + '\n');
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'campval-corpus-'));
execFileSync(process.execPath, [path.join(__dirname, 'gen.js'), tmp]);
write('campaign_create', fs.readFileSync(path.join(tmp, 'stream.ndjson'), 'utf8').split('\n').slice(0, 200));
fs.rmSync(tmp, { recursive: true });
write('orders', Array.from({ length: 200 }, () => JSON.stringify(order())));
write('events', Array.from({ length: 500 }, () => JSON.stringify(event())));
