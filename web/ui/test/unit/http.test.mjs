import { test } from 'node:test';
import assert from 'node:assert/strict';

import { absoluteURL } from '../../src/http.js';

test('absoluteURL resolves the root-relative links a server gives for an unknown Host', () => {
  const page = 'http://192.0.2.7:8080/';
  assert.equal(absoluteURL('/tiles/districts/3/5/2.mvt', page), 'http://192.0.2.7:8080/tiles/districts/3/5/2.mvt');
  assert.equal(absoluteURL('/tiles/x/{z}/{x}/{y}.mvt', 'https://maps.example.kz/aimaq/'), 'https://maps.example.kz/tiles/x/%7Bz%7D/%7Bx%7D/%7By%7D.mvt');
  assert.equal(absoluteURL('https://maps.example.kz/tiles/a.mvt', page), 'https://maps.example.kz/tiles/a.mvt');
  assert.equal(absoluteURL('/a', undefined), '/a', 'no page: unchanged');
});
