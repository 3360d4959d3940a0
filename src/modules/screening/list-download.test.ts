// Download URLs may carry access keys (licensed list feeds): what is stored, shown and printed of
// them keeps only scheme, host and path.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactUrl } from './list-download.ts';

test('a URL loses its user name, password and query string before it is stored or shown', () => {
  assert.equal(
    redactUrl('https://user:s3cret@data.example.org/datasets/latest/x/targets.simple.csv?api_key=abc#frag'),
    'https://data.example.org/datasets/latest/x/targets.simple.csv',
  );
  assert.equal(redactUrl('not a url'), '(an invalid URL)');
});
