// The provider contract: a check that completes with bad news is an outcome, a check that could not
// run is an error the runner can classify, and the inputs digest identifies data, not key order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  assertNotAborted,
  canonicalJson,
  decideOutcome,
  inputsDigest,
  isRetryableCheckError,
  ProviderRejectedInputError,
  ProviderUnavailableError,
  type CheckContext,
  type CheckFinding,
  type CheckProvider,
  type PersonCheckInput,
} from './check-provider.ts';

const context = (): CheckContext => ({ today: '2026-11-20', signal: new AbortController().signal });

const person: PersonCheckInput = {
  kind: 'person',
  identityDocument: {
    type: 'passport',
    number: '123456789',
    issuingCountry: 'GB',
    expiryDate: '2030-01-31',
    mrz: ['LINE1', 'LINE2'],
  },
};

test('the inputs digest does not depend on key order, at any depth', () => {
  const reordered = JSON.parse(
    '{"identityDocument":{"mrz":["LINE1","LINE2"],"expiryDate":"2030-01-31","issuingCountry":"GB",' +
      '"number":"123456789","type":"passport"},"kind":"person"}',
  ) as PersonCheckInput;
  assert.notEqual(JSON.stringify(reordered), JSON.stringify(person));
  assert.equal(inputsDigest(reordered), inputsDigest(person));
  assert.match(inputsDigest(person), /^[0-9a-f]{64}$/);
});

test('the inputs digest changes with any value, and with the order of MRZ lines', () => {
  const digest = inputsDigest(person);
  const document = person.identityDocument!;
  const variants: PersonCheckInput[] = [
    { kind: 'person', identityDocument: { ...document, number: '123456788' } },
    { kind: 'person', identityDocument: { ...document, expiryDate: '2030-01-30' } },
    { kind: 'person', identityDocument: { ...document, mrz: ['LINE2', 'LINE1'] } },
    { kind: 'person', identityDocument: { ...document, mrz: undefined } },
    { kind: 'person' },
  ];
  const digests = new Set(variants.map(inputsDigest));
  assert.equal(digests.size, variants.length);
  assert.ok(!digests.has(digest));
  // An entity with the same text in another field is a different input.
  assert.notEqual(
    inputsDigest({ kind: 'entity', registrationNumber: 'GB' }),
    inputsDigest({ kind: 'entity', registrationCountry: 'GB' }),
  );
});

test('canonical JSON drops undefined members and refuses values JSON cannot state exactly', () => {
  assert.equal(canonicalJson({ b: 1, a: undefined, c: [undefined, 'x'] }), '{"b":1,"c":[null,"x"]}');
  assert.throws(() => canonicalJson({ n: Number.NaN }), TypeError);
  assert.throws(() => canonicalJson({ when: new Date(0) }), TypeError);
});

// Two fake providers of a kind with no local provider, as a credit service would be written.
function creditProvider(callService: () => Promise<{ score: number }>): CheckProvider {
  return {
    id: 'example-credit',
    version: '1',
    kind: 'credit',
    isLocal: false,
    appliesTo: () => true,
    run: async () => {
      let answer: { score: number };
      try {
        answer = await callService();
      } catch (error) {
        throw new ProviderUnavailableError('network', 'The credit service did not answer.', { cause: error });
      }
      const findings: CheckFinding[] =
        answer.score < 300
          ? [{ code: 'credit.low_score', severity: 'critical', message: 'Very low score.' }]
          : [];
      return decideOutcome(findings, true, { score: answer.score });
    },
  };
}

test('a provider that cannot reach its service throws a retryable error', async () => {
  const down = creditProvider(() => Promise.reject(new Error('ECONNREFUSED')));
  await assert.rejects(down.run(person, context()), (error: unknown) => {
    assert.ok(error instanceof ProviderUnavailableError);
    assert.equal(error.reason, 'network');
    assert.equal(error.code, 'unavailable');
    assert.ok(isRetryableCheckError(error));
    return true;
  });
});

test('a provider that reaches its service and gets bad news completes with failed_check', async () => {
  const answered = creditProvider(() => Promise.resolve({ score: 120 }));
  const outcome = await answered.run(person, context());
  assert.equal(outcome.status, 'failed_check');
  assert.deepEqual(
    outcome.findings.map((finding) => finding.code),
    ['credit.low_score'],
  );
  assert.equal(outcome.facts?.score, 120);
});

test('only an unavailable provider is retried: rejected input and unknown errors are not', () => {
  assert.equal(isRetryableCheckError(new ProviderUnavailableError('timeout', 'Timed out.')), true);
  const rejected = new ProviderRejectedInputError('Bad input.');
  assert.equal(isRetryableCheckError(rejected), false);
  assert.equal(rejected.code, 'validation_failed');
  assert.equal(isRetryableCheckError(new TypeError('bug')), false);
  assert.equal(isRetryableCheckError('a string'), false);
});

test('an aborted run becomes a retryable error that says whether it timed out', () => {
  assert.doesNotThrow(() => assertNotAborted(new AbortController().signal));
  const timedOut = AbortSignal.abort(new DOMException('Timed out', 'TimeoutError'));
  assert.throws(
    () => assertNotAborted(timedOut),
    (error: unknown) => error instanceof ProviderUnavailableError && error.reason === 'timeout',
  );
  assert.throws(
    () => assertNotAborted(AbortSignal.abort()),
    (error: unknown) => error instanceof ProviderUnavailableError && error.reason === 'aborted',
  );
});

test('the worst finding decides the status, and no evidence is never "passed"', () => {
  const finding = (severity: CheckFinding['severity']): CheckFinding => ({
    code: 'x',
    severity,
    message: 'x',
  });
  const cases: [CheckFinding[], boolean, string][] = [
    [[], true, 'passed'],
    [[finding('info')], true, 'passed'],
    [[], false, 'attention'],
    [[finding('info')], false, 'attention'],
    [[finding('warning'), finding('info')], true, 'attention'],
    [[finding('info'), finding('critical'), finding('warning')], true, 'failed_check'],
    [[finding('critical')], false, 'failed_check'],
  ];
  for (const [findings, hasEvidence, status] of cases) {
    assert.equal(
      decideOutcome(findings, hasEvidence).status,
      status,
      JSON.stringify({ findings, hasEvidence }),
    );
  }
});
