import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { sampleEvent, sampleStop } from '../pipeline/_sample.ts';
import { CSV_COLUMNS, csvField, csvLines } from './csv.ts';

/** A strict RFC 4180 reader, written here so the test does not trust the writer's logic. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') ((field += '"'), (i += 2));
      else if (c === '"') ((quoted = false), i++);
      else ((field += c), i++);
    } else if (c === '"' && field === '') ((quoted = true), i++);
    else if (c === ',') (row.push(field), (field = ''), i++);
    else if (c === '\r' && text[i + 1] === '\n')
      (row.push(field), rows.push(row), (row = []), (field = ''), (i += 2));
    else if (c === '"' || c === '\r' || c === '\n')
      throw new SyntaxError(`bare ${JSON.stringify(c)} at ${i}`);
    else ((field += c), i++);
  }
  assert.equal(field, '');
  assert.deepEqual(row, []);
  return rows;
}

describe('csvField', () => {
  it('should neutralise cells that a spreadsheet would run as a formula', () => {
    for (const hostile of [
      '=HYPERLINK("http://evil")',
      '+cmd|calc',
      '-2+3',
      '@SUM(A1)',
      '\tx',
      '\rx',
    ]) {
      const cell = parseCsv(`${csvField(hostile)}\r\n`)[0]![0]!;
      assert.equal(cell, `'${hostile}`);
    }
    assert.equal(csvField('aws-cli/2.0'), 'aws-cli/2.0');
  });

  it('should quote commas, quotes and line breaks per RFC 4180', () => {
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('a\nb'), '"a\nb"');
  });

  it('should round-trip any text through a strict reader, formula starts aside', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const cell = parseCsv(`${csvField(text)}\r\n`)[0]![0]!;
        const expected = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
        assert.equal(cell, expected);
      }),
    );
  });
});

describe('csvLines', () => {
  it('should write a header and one row per stop with hostile text neutralised', () => {
    const stop = sampleStop({
      actor: {
        type: 'assumed_role',
        id: 'arn:aws:sts::1:assumed-role/Ops/=cmd|" /C calc"!A0',
        name: '=cmd|" /C calc"!A0',
        session: { name: '@SUM(1+1)*cmd|" /C calc"!A0' },
        chain: [],
      },
      source: {
        ip: '10.0.0.1',
        userAgent: '=HYPERLINK("http://evil.example/?x","click"),\r\nnext',
        clientKind: 'unknown',
      },
    });
    const rows = parseCsv([...csvLines([stop])].join(''));
    assert.equal(rows.length, 2);
    assert.deepEqual(rows[0], [...CSV_COLUMNS]);
    const row = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, rows[1]![i]!]));
    assert.equal(row.user_agent, `'=HYPERLINK("http://evil.example/?x","click"),\r\nnext`);
    assert.equal(row.actor_name, `'=cmd|" /C calc"!A0`);
    assert.equal(row.session_name, `'@SUM(1+1)*cmd|" /C calc"!A0`);
    assert.equal(row.record, 'stop');
    assert.equal(row.instance_id, 'i-0abc');
    assert.equal(row.time, '2024-08-01T12:03:30Z');
    assert.equal(row.parameters, 'force=true');
    assert.equal(row.raw, 'trail.json#3');
    for (const cell of rows[1]!) assert.doesNotMatch(cell, /^[=+\-@\t\r]/);
  });

  it('should append events after the stops in the same columns', () => {
    const rows = parseCsv(
      [
        ...csvLines(
          [sampleStop()],
          [sampleEvent({ action: 'instance.start', operation: 'StartInstances' })],
        ),
      ].join(''),
    );
    assert.equal(rows.length, 3);
    assert.equal(rows[2]![0], 'event');
    assert.equal(rows[2]![CSV_COLUMNS.indexOf('operation')], 'StartInstances');
    for (const r of rows) assert.equal(r.length, CSV_COLUMNS.length);
  });
});
