package io.quire.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded exponential backoff: attempt n (0-based) waits {@code min(max, initial * 2^n)}, with "equal jitter"
 * (half fixed, half random) so that many clients do not retry in lockstep.
 *
 * @param initial     the wait before the first retry
 * @param max         the longest wait between two attempts
 * @param maxAttempts the most attempts in all (the first call included); must be at least 1
 */
public record Backoff(Duration initial, Duration max, int maxAttempts) {
    /** Unary calls: first retry after this long. */
    public static final Duration CALL_BACKOFF_INITIAL = Duration.ofMillis(50);
    /** Unary calls: no wait longer than this. */
    public static final Duration CALL_BACKOFF_MAX = Duration.ofSeconds(2);
    /** Unary calls: attempts in all, the first included. */
    public static final int CALL_ATTEMPTS_MAX = 5;

    /** Watch reconnects: first reconnect after this long. */
    public static final Duration WATCH_BACKOFF_INITIAL = Duration.ofMillis(50);
    /** Watch reconnects: no wait longer than this. */
    public static final Duration WATCH_BACKOFF_MAX = Duration.ofSeconds(2);
    /** Watch reconnects: consecutive failed reconnects (none delivering an entry) before the watch gives up. */
    public static final int WATCH_RECONNECTS_MAX = 60;

    public Backoff {
        if (initial == null || initial.isNegative()) throw new IllegalArgumentException("initial backoff must be >= 0, got " + initial);
        if (max == null || max.compareTo(initial) < 0) throw new IllegalArgumentException("max backoff must be >= initial, got " + max);
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
    }

    /** The default for unary calls. */
    public static Backoff calls() { return new Backoff(CALL_BACKOFF_INITIAL, CALL_BACKOFF_MAX, CALL_ATTEMPTS_MAX); }

    /** The default for watch reconnects. */
    public static Backoff watches() { return new Backoff(WATCH_BACKOFF_INITIAL, WATCH_BACKOFF_MAX, WATCH_RECONNECTS_MAX); }

    /** No retries at all. */
    public static Backoff none() { return new Backoff(Duration.ZERO, Duration.ZERO, 1); }

    /** The wait before retry number {@code retry} (0 = the first retry). */
    public long delayMillis(int retry) {
        long base = initial.toMillis();
        long cap = max.toMillis();
        long d = base;
        for (int i = 0; i < retry && d < cap; i++) d = d * 2;
        d = Math.min(cap, d);
        if (d <= 1) return d;
        long half = d / 2;
        return half + ThreadLocalRandom.current().nextLong(d - half + 1);
    }
}
