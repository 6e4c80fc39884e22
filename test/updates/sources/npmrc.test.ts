/**
 * Unit tests of pure logic: reading npmrc text the way npm does for registries and credentials
 * (`${VAR}` expansion, scoped registries, credentials matched by host and path).
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: npmrc's own ${VAR} syntax, written literally
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  authFor,
  DEFAULT_NPM_REGISTRY,
  parseNpmrc,
  registryFor,
} from '../../../src/updates/sources/npmrc.js';

describe('npmrc parsing', () => {
  test('key = value lines, comments, sections and quotes', () => {
    const config = parseNpmrc(
      [
        '; a comment',
        '# another',
        '[section]',
        'registry = https://npm.internal/repo/ ',
        '"quoted" = no',
        'email="someone@example.org"',
        "init-author-name='Some One'",
        'not a pair',
        '=nokey',
      ].join('\r\n'),
      {},
    );
    assert.equal(config.get('registry'), 'https://npm.internal/repo/');
    assert.equal(config.get('email'), 'someone@example.org');
    assert.equal(config.get('init-author-name'), 'Some One');
    assert.equal(config.has('not a pair'), false);
    assert.equal(config.has(''), false);
  });

  test('${VAR} expands; ${VAR?} is empty when unset; an unset ${VAR} drops the line', () => {
    const config = parseNpmrc(
      [
        '//npm.internal/:_authToken=${NPM_TOKEN}',
        '//other.example/:_authToken=${MISSING_TOKEN}',
        'optional=a${MISSING?}b',
        'escaped=\\${NPM_TOKEN}',
      ].join('\n'),
      { NPM_TOKEN: 'tok-123' },
    );
    assert.equal(config.get('//npm.internal/:_authToken'), 'tok-123');
    assert.equal(config.has('//other.example/:_authToken'), false);
    assert.equal(config.get('optional'), 'ab');
    assert.equal(config.get('escaped'), '${NPM_TOKEN}');
  });

  test('a scoped registry for scoped packages, else registry, else npmjs', () => {
    const config = parseNpmrc('@acme:registry=https://npm.acme.test/\nregistry=https://mirror.test', {});
    assert.equal(registryFor('@acme/tool', config), 'https://npm.acme.test/');
    assert.equal(registryFor('@other/tool', config), 'https://mirror.test/');
    assert.equal(registryFor('plain', config), 'https://mirror.test/');
    assert.equal(registryFor('plain', parseNpmrc('', {})), DEFAULT_NPM_REGISTRY);
  });

  test('credentials match by host (with port) and path prefix, longest first', () => {
    const config = parseNpmrc(
      [
        '//npm.internal/:_authToken=root-token',
        '//npm.internal/deep/repo/:_authToken=deep-token',
        '//npm.internal:8443/:_authToken=port-token',
        `//basic.test/:_auth=${Buffer.from('alice:s3cret').toString('base64')}`,
        '//userpass.test/npm/:username=bob',
        `//userpass.test/npm/:_password=${Buffer.from('pa55').toString('base64')}`,
      ].join('\n'),
      {},
    );
    assert.deepEqual(authFor('https://npm.internal/deep/repo/', config), { token: 'deep-token' });
    assert.deepEqual(authFor('https://npm.internal/deep/', config), { token: 'root-token' });
    assert.deepEqual(authFor('https://npm.internal:8443/', config), { token: 'port-token' });
    assert.deepEqual(authFor('https://basic.test/', config), { username: 'alice', password: 's3cret' });
    assert.deepEqual(authFor('https://userpass.test/npm/', config), { username: 'bob', password: 'pa55' });
    assert.deepEqual(authFor('https://userpass.test/', config), {});
    assert.deepEqual(authFor('https://npm.internal.evil.test/', config), {});
    assert.deepEqual(authFor('https://evil.test/npm.internal/', config), {});
  });

  test('an oversized text is read only up to the bound', () => {
    const big = `registry=https://first.test/\n${'x'.repeat(300 * 1024)}\nregistry=https://late.test/`;
    assert.equal(parseNpmrc(big, {}).get('registry'), 'https://first.test/');
  });
});
