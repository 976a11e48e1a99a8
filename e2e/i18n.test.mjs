// Every visible string exists in both languages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './harness.mjs';

const load = (name) => JSON.parse(readFileSync(join(root, 'frontend', 'i18n', `${name}.json`), 'utf8'));

test('zh-HK and en translation files have the same keys, none empty', () => {
  const zh = load('zh-HK');
  const en = load('en');
  assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
  for (const [key, value] of [...Object.entries(zh), ...Object.entries(en)]) {
    assert.ok(typeof value === 'string' && value.trim().length > 0, `empty translation: ${key}`);
  }
  assert.ok(Object.keys(zh).length > 50);
});
