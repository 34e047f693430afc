package io.quire.bench;

/**
 * A fixed-bucket, log-linear latency histogram (the idea of HdrHistogram, much smaller): values
 * below 128 ns are counted exactly; above, every power of two is split into 128 linear
 * sub-buckets, so any reported value is within 1/128 (< 0.8 %) of the true one. Not thread-safe:
 * give each thread its own recorder and {@link #merge} them at the end.
 */
public final class LatencyRecorder {
    static final int SUB_BITS = 7;
    static final int SUB = 1 << SUB_BITS;
    /** Exponents 7..62 each get SUB buckets, after the SUB exact ones. */
    static final int BUCKETS = SUB + (63 - SUB_BITS) * SUB;

    private final long[] counts = new long[BUCKETS];
    private long count;
    private long min = Long.MAX_VALUE;
    private long max;
    private double sum;

    public void record(long nanos) {
        if (nanos < 0) nanos = 0;
        counts[index(nanos)]++;
        count++;
        sum += nanos;
        if (nanos < min) min = nanos;
        if (nanos > max) max = nanos;
    }

    public void merge(LatencyRecorder o) {
        for (int i = 0; i < BUCKETS; i++) counts[i] += o.counts[i];
        count += o.count;
        sum += o.sum;
        min = Math.min(min, o.min);
        max = Math.max(max, o.max);
    }

    public long count() { return count; }

    public long maxNanos() { return count == 0 ? 0 : max; }

    public long minNanos() { return count == 0 ? 0 : min; }

    public double meanNanos() { return count == 0 ? 0 : sum / count; }

    /** The value at percentile {@code p} (0..100], as the middle of its bucket, clamped to [min, max]. */
    public long percentileNanos(double p) {
        if (count == 0) return 0;
        long rank = Math.max(1, (long) Math.ceil(p / 100.0 * count));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                long mid = lowerBound(i) + (width(i) - 1) / 2;
                return Math.max(min, Math.min(max, mid));
            }
        }
        return max;
    }

    public double percentileMicros(double p) { return percentileNanos(p) / 1000.0; }

    static int index(long v) {
        if (v < SUB) return (int) v;
        int exp = 63 - Long.numberOfLeadingZeros(v);          // >= SUB_BITS
        int shift = exp - SUB_BITS;
        int sub = (int) (v >>> shift) - SUB;                   // 0..SUB-1
        return SUB + (exp - SUB_BITS) * SUB + sub;
    }

    static long lowerBound(int i) {
        if (i < SUB) return i;
        int k = i - SUB;
        int exp = k / SUB + SUB_BITS;
        int sub = k % SUB;
        return (long) (SUB + sub) << (exp - SUB_BITS);
    }

    static long width(int i) {
        if (i < SUB) return 1;
        int exp = (i - SUB) / SUB + SUB_BITS;
        return 1L << (exp - SUB_BITS);
    }
}
