/**
 * Peak memory growth over a run: `sample()` wherever memory may peak (the caller picks how often),
 * `growthMb()` reads heap and RSS growth since the tracker was made (after a GC when --expose-gc).
 */
export function trackPeakMemory() {
  globalThis.gc?.();
  const before = process.memoryUsage();
  let peakHeap = before.heapUsed;
  let peakRss = before.rss;
  return {
    sample() {
      const now = process.memoryUsage();
      peakHeap = Math.max(peakHeap, now.heapUsed);
      peakRss = Math.max(peakRss, now.rss);
    },
    growthMb: () => ({ heap: (peakHeap - before.heapUsed) / 2 ** 20, rss: (peakRss - before.rss) / 2 ** 20 }),
  };
}
