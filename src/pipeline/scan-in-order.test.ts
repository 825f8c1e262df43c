import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import type { InputFile } from '../sources/index.ts';
import { cloudTrailNoise, cloudTrailStop } from './_fixture-records.ts';
import { scanInOrder } from './scan-in-order.ts';
import type { OrderedFile } from './scan-in-order.ts';

const dir = mkdtempSync(join(tmpdir(), 'haltwatch-in-order-'));

/** File k holds k + 1 stops (so each file's results are told apart) and some noise. */
function files(count: number): InputFile[] {
  return Array.from({ length: count }, (_, k) => {
    const path = join(dir, `f${String(k).padStart(2, '0')}.json`);
    const records = [cloudTrailNoise(k)];
    for (let s = 0; s <= k; s++) records.push(cloudTrailStop(1000 * k + s));
    const text = JSON.stringify({ Records: records });
    writeFileSync(path, text);
    return { path, size: text.length };
  });
}

interface Seen {
  readonly path: string;
  readonly kind: OrderedFile<number>['kind'];
  readonly events: number;
  readonly error?: string;
}

async function consume(
  items: AsyncIterable<OrderedFile<number>>,
  onItem: (index: number) => Promise<void> = async () => {},
): Promise<Seen[]> {
  const seen: Seen[] = [];
  let index = 0;
  for await (const item of items) {
    await onItem(index++);
    if (item.kind !== 'scanned') {
      seen.push({ path: item.file.path, kind: item.kind, events: 0 });
      continue;
    }
    let events = 0;
    try {
      for await (const batch of item.batches) events += batch.events.length;
      seen.push({ path: item.file.path, kind: item.kind, events });
    } catch (error) {
      seen.push({ path: item.file.path, kind: item.kind, events, error: String(error) });
    }
  }
  return seen;
}

describe('scanInOrder', () => {
  const inputs = files(12);

  it('should give every file once, in input order, with the same results on workers or here', async () => {
    const admitted: string[] = [];
    const admit = async (file: InputFile) => {
      admitted.push(file.path);
      return 1;
    };
    const here = await consume(scanInOrder(inputs, { include: 'stops', workers: 0, admit }));
    const order = [...admitted];
    admitted.length = 0;
    const there = await consume(scanInOrder(inputs, { include: 'stops', workers: 2, admit }));
    assert.deepEqual(there, here);
    assert.deepEqual(
      here.map((s) => s.events),
      inputs.map((_, k) => k + 1),
    );
    // Admission happens once per file, in input order, on workers as here.
    assert.deepEqual(admitted, order);
    assert.deepEqual(
      order,
      inputs.map((f) => f.path),
    );
  });

  it('should pass over files admit declines and fail those it throws on, scanning neither', async () => {
    const seen = await consume(
      scanInOrder(inputs.slice(0, 6), {
        include: 'stops',
        workers: 2,
        admit: async (file) => {
          if (file.path.endsWith('f01.json')) return undefined;
          if (file.path.endsWith('f02.json')) throw new Error('cannot hash');
          return 1;
        },
      }),
    );
    assert.deepEqual(
      seen.map((s) => [s.kind, s.events]),
      [
        ['scanned', 1],
        ['passed', 0],
        ['failed', 0],
        ['scanned', 4],
        ['scanned', 5],
        ['scanned', 6],
      ],
    );
  });

  it('should admit only a few files ahead of a slow consumer', async () => {
    let admittedCount = 0;
    let furthestAhead = 0;
    await consume(
      scanInOrder(inputs, {
        include: 'stops',
        workers: 1,
        admit: async () => ++admittedCount,
      }),
      async (index) => {
        furthestAhead = Math.max(furthestAhead, admittedCount - index);
        await sleep(20);
      },
    );
    assert.equal(admittedCount, inputs.length);
    // One worker: four files ahead of the one being consumed, and that one.
    assert.ok(furthestAhead <= 5, `${furthestAhead} files admitted ahead`);
  });

  it('should stop admitting when the consumer stops early', async () => {
    let admittedCount = 0;
    for await (const item of scanInOrder(inputs, {
      include: 'stops',
      workers: 1,
      admit: async () => ++admittedCount,
    })) {
      assert.equal(item.kind, 'scanned');
      break;
    }
    assert.ok(admittedCount < inputs.length, `${admittedCount} admitted`);
  });

  it('should fail a file the worker cannot read, and go on with the rest', async () => {
    const gone: InputFile = { path: join(dir, 'missing.json'), size: 10 };
    const seen = await consume(
      scanInOrder([inputs[0]!, gone, inputs[1]!], {
        include: 'stops',
        workers: 1,
        admit: async () => 1,
      }),
    );
    assert.deepEqual(
      seen.map((s) => s.events),
      [1, 0, 2],
    );
  });
});
