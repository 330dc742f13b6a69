#!/usr/bin/env python3
"""Regenerate the seed corpora in fuzz/corpus/<target>/ from the repository's own data.

Seeds are named seed-*; anything else in a corpus directory (regression inputs such as
regress-*) is left alone. Run from anywhere: python3 fuzz/seed-corpus.py
Sources: examples/*.json, tests/data/cases/*.json (not the 1.4 MB one), rules/*.schema.json and
schemas, instances, format strings and patterns from the JSON Schema Test Suite (draft2020-12),
plus hand-written edge cases below. Kept small: about 300 files and well under 2 MB in all.
"""
import glob
import json
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, 'fuzz', 'corpus')
SUITE = os.path.join(ROOT, 'tests', 'data', 'json-schema-test-suite', 'tests', 'draft2020-12')
MAX_SEED = 64 * 1024


def slug(s):
    return re.sub(r'[^A-Za-z0-9]+', '_', s).strip('_')[:60]


def reset(target):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    for f in glob.glob(os.path.join(d, 'seed-*')):
        os.remove(f)
    return d


def write(d, name, data):
    if isinstance(data, str):
        data = data.encode('utf-8')
    if len(data) <= MAX_SEED:
        with open(os.path.join(d, 'seed-' + name), 'wb') as f:
            f.write(data)


def dumps(v, pretty=False):
    return json.dumps(v, ensure_ascii=False, indent=1 if pretty else None)


def suite(name):
    with open(os.path.join(SUITE, name), encoding='utf-8') as f:
        return json.load(f)


def payload_files():
    out = sorted(glob.glob(os.path.join(ROOT, 'examples', '*.json')))
    for f in sorted(glob.glob(os.path.join(ROOT, 'tests', 'data', 'cases', '*.json'))):
        if os.path.getsize(f) <= MAX_SEED and not f.endswith('manifest.json'):
            out.append(f)
    return out


def read(f):
    with open(f, 'rb') as fh:
        return fh.read()


# ---- JSON edge cases (bytes) --------------------------------------------------------------

JSON_EDGES = {
    'escapes': b'"\\ud83d\\ude00 \\u00e9 \\\\ \\" \\/ \\b\\f\\n\\r\\t \\u0000 \\u001f \\uFFFF"',
    'numbers': b'[-0,0.0,-1.5e+10,1E-7,2e0,123456789012345678901234567890,-0.0e-0]',
    'nested': b'{"a":{"a":{"a":[[[[]]]],"b":{}}}, "":"", "~/":[null,true,false]}',
    'depth128': b'[' * 128 + b']' * 128,
    'depth129': b'[' * 129 + b']' * 129,
    'dup': b'{"a":1,"b":2,"a":3}',
    'dup_escaped': b'{"\\u0061":1,"a":{"x":1,"\\u0078":2}}',
    'dup_many': ('{' + ','.join('"k%d":%d' % (i % 19, i) for i in range(40)) + '}').encode(),
    'bom': b'\xef\xbb\xbf{"a":[]}',
    'bom_twice': b'\xef\xbb\xbf\xef\xbb\xbf{}',
    'trailing_comma': b'[1,2,]',
    'missing_value': b'[1,,2]',
    'bad_literal': b'[tru]',
    'leading_zero': b'01',
    'missing_colon': b'{"a" 1}',
    'lone_high': b'["\\ud800"]',
    'lone_low': b'["\\udc00x"]',
    'overlong': b'["\xc0\xaf"]',
    'utf8_surrogate': b'["\xed\xa0\x80"]',
    'utf8_max': b'["\xf4\x8f\xbf\xbf"]',
    'utf8_too_big': b'["\xf4\x90\x80\x80"]',
    'control_char': b'["a\x01b"]',
    'nul_byte': b'[1,\x002]',
    'trailing_data': b'[1] 2',
    'comment': b'/* c */ {}',
    'mismatched': b'{"a":[}',
    'empty': b'',
    'whitespace_only': b' \t\r\n',
    'scalar_number': b' 0 ',
    'scalar_string': b'"x"',
    'scalar_null': b'null',
    'truncated_escape': b'"\\u00',
    'key_not_string': b'{1:2}',
    'crlf_lines': b'{\r\n"a":\r\n[1,\r\n2 x]}',
}

PHONES = ['+14155550123', '+33612345678', '+4915112345678', '+442079460958', '+44 0 20 7946 0958',
          '+79123456789', '+78123456789', '+37812345', '+3780549812345', '+8613800138000',
          '+819012345678', '+61412345678', '+5511912345678', '+80012345678', '+18005550100',
          '+19005550100', '+2348031234567']


def main():
    payloads = payload_files()

    # fuzz_validate: the examples, every create_* fixture and every other response_* one.
    d = reset('validate')
    responses = [f for f in payloads if os.path.basename(f).startswith('response_')]
    for f in payloads:
        if f not in responses or responses.index(f) % 2 == 0:
            write(d, os.path.basename(f), read(f))

    # fuzz_json: syntax-related fixtures, edge cases, the manifest, suite instances.
    d = reset('json')
    syntax = re.compile(r'example|bom|comment|duplicate|empty_document|malformed|raw_newline|'
                        r'trailing|truncated|fullwidth_escaped|root_array|valid_full')
    for f in payloads:
        if syntax.search(os.path.basename(f)):
            write(d, os.path.basename(f), read(f))
    write(d, 'manifest.json', read(os.path.join(ROOT, 'tests', 'data', 'cases', 'manifest.json')))
    for name, data in JSON_EDGES.items():
        write(d, 'edge_' + name + '.json', data)
    for name in ['uniqueItems.json', 'const.json', 'enum.json', 'unevaluatedProperties.json']:
        seen = 0
        for group in suite(name):
            for test in group['tests']:
                if isinstance(test['data'], (dict, list)) and test['data'] and seen < 4:
                    write(d, 'suite_%s_%d.json' % (slug(name), seen), dumps(test['data'], seen % 2))
                    seen += 1

    # fuzz_rules: campval's rules, the 2020-12 meta-schema and suite schemas.
    d = reset('rules')
    for f in sorted(glob.glob(os.path.join(ROOT, 'rules', '*.schema.json'))):
        write(d, os.path.basename(f), read(f))
    write(d, 'meta_2020_12.json', read(os.path.join(ROOT, 'rules', 'meta', 'draft2020-12',
                                                    'schema.json')))
    rich = {'ref.json', 'dynamicRef.json', 'unevaluatedProperties.json', 'unevaluatedItems.json',
            'anchor.json', 'defs.json', 'if-then-else.json', 'items.json', 'vocabulary.json'}
    for f in sorted(glob.glob(os.path.join(SUITE, '*.json'))):
        name = os.path.basename(f)
        groups = suite(name)
        for i, group in enumerate(groups[:4 if name in rich else 1]):
            write(d, 'suite_%s_%d.json' % (slug(name), i), dumps(group['schema'], i % 2 == 0))
    for name in ['optional/bignum.json', 'optional/ecmascript-regex.json',
                 'optional/format-assertion.json', 'optional/cross-draft.json']:
        write(d, 'suite_%s.json' % slug(name), dumps(suite(name)[0]['schema'], True))

    # fuzz_formats: format strings (valid and invalid), patterns NUL subject.
    d = reset('formats')
    for name in ['date-time', 'date', 'time', 'duration', 'email', 'hostname', 'ipv4', 'ipv6',
                 'uri', 'uri-reference', 'uuid', 'json-pointer', 'relative-json-pointer', 'regex']:
        strings = [t['data'] for g in suite('optional/format/' + name + '.json')
                   for t in g['tests'] if isinstance(t['data'], str)]
        for i, s in enumerate(strings[::max(1, len(strings) // 2)][:2]):
            write(d, 'fmt_%s_%d' % (slug(name), i), s)
    for s in ['+14155550123', '09:00', '2pm', '11:45am', 'America/New_York', 'Europe/Paris',
              '182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e', '2026-04-30', '2024-02-29T12:00:00Z']:
        write(d, 'own_%s' % slug(s), s)
    seen = 0
    for name in ['pattern.json', 'patternProperties.json', 'optional/ecmascript-regex.json',
                 'optional/non-bmp-regex.json']:
        for group in suite(name):
            pat = group['schema'].get('pattern')
            if pat is None:
                props = group['schema'].get('patternProperties', {})
                pat = next(iter(props), None)
            subj = next((t['data'] for t in group['tests'] if isinstance(t['data'], str)), '')
            if pat is not None and seen < 16:
                write(d, 'regex_%d' % seen, pat.encode('utf-8') + b'\0' + subj.encode('utf-8'))
                seen += 1

    # fuzz_phone: numbers of many shapes and regions.
    d = reset('phone')
    for p in PHONES:
        write(d, slug(p) or 'plus', p)

    # fuzz_numbers: number lists, good and bad (the first bad line fails the load).
    d = reset('numbers')
    write(d, 'mixed', '# do not call\n+14155550123\n+1 (212) 555-0199\r\n\n'
          '+33.1.42.68.53.00\n  +44 20 7946 0958  \n')
    write(d, 'bad-line-2', '+14155550123\n14155550124\n')
    write(d, '16-digits', '+1234567890123456\n')
    write(d, 'leading-zero', '+0123\n')
    write(d, 'unsorted-dupes', '+33142685300\n+14155550123\n+12125550199\n+14155550123\n'
          '+442079460958\n+33142685300')
    write(d, 'empty', '')
    write(d, 'comments-only', '#\n\r\n \t\n')
    write(d, '300-random', '\n'.join('+%d' % (10 + (i * 2654435761) % 999999999999990)
                                      for i in range(300)) + '\n')
    for p in PHONES:
        write(d, 'phone-' + (slug(p) or 'plus'), p + '\n')

    # fuzz_tzif: compiled zones from the system's tzdata (fixed-offset, northern, southern,
    # half-hour DST, negative DST), and a bare magic number.
    d = reset('tzif')
    for z in ['America/New_York', 'Europe/Paris', 'Australia/Lord_Howe', 'Asia/Kolkata',
              'Asia/Tokyo', 'UTC', 'America/Santiago', 'Africa/Casablanca']:
        f = os.path.join(os.environ.get('TZDIR') or '/usr/share/zoneinfo', z)
        if os.path.exists(f):
            write(d, slug(z), read(f))
    write(d, 'magic-only', 'TZif')


if __name__ == '__main__':
    main()
