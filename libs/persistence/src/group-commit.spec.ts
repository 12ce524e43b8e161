import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';

describe('GroupCommit', () => {
  it('writes items that arrive together in one batch and answers each with its own outcome', async () => {
    const batches: number[][] = [];
    const commits = new GroupCommit<number>(async (batch) => {
      batches.push(batch);
      return batch.map((n) => n % 2 === 0);
    });
    expect(await Promise.all([1, 2, 3, 4].map((n) => commits.add(n)))).toEqual([false, true, false, true]);
    expect(batches).toEqual([[1, 2, 3, 4]]);
  });

  it('after a failed batch, fails only the item that fails alone, and runs afterBatch once per batch', async () => {
    let after = 0;
    const failed: number[] = [];
    const commits = new GroupCommit<number>(
      async (batch) => {
        if (batch.includes(13)) throw new Error('bad row');
        return batch.map(() => true);
      },
      { onBatchFailed: (_error, size) => failed.push(size), afterBatch: () => after++ },
    );
    const results = await Promise.allSettled([12, 13, 14].map((n) => commits.add(n)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(failed).toEqual([3]);
    expect(after).toBe(1);
  });

  it('keeps at most maxBatch items in a write and maxInFlight writes at once', async () => {
    let inFlight = 0;
    let most = 0;
    const sizes: number[] = [];
    const commits = new GroupCommit<number>(
      async (batch) => {
        sizes.push(batch.length);
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        return batch.map(() => true);
      },
      { maxBatch: 3, maxInFlight: 2 },
    );
    await Promise.all(Array.from({ length: 10 }, (_, n) => commits.add(n)));
    expect(Math.max(...sizes)).toBe(3);
    expect(sizes.reduce((a, b) => a + b)).toBe(10);
    expect(most).toBe(2);
  });
});
