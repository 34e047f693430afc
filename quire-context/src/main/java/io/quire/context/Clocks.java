package io.quire.context;

import io.quire.core.Entry;
import io.quire.core.Ledger;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One Lamport clock per context (Lamport 1978): each append ticks it, and a client's clock
 * {@code c} moves it to {@code max(local, c) + 1}. The value is stored in the entry's metadata
 * under {@link ContextLimits#LAMPORT_METADATA_KEY}, so it survives restarts: a context's clock is
 * recovered lazily from its last entry on first use.
 *
 * <p>Protocol: an append takes its context's lock, ticks the clock and hands the draft to the
 * core's FIFO writer queue before releasing it, so sequence order and Lamport order agree within a
 * context. Durability is awaited outside the lock. A failed append leaves a gap in the clock,
 * which Lamport clocks allow.
 */
final class Clocks {
    private final Ledger ledger;
    private final ConcurrentHashMap<String, Clock> clocks = new ConcurrentHashMap<>();

    Clocks(Ledger ledger) { this.ledger = ledger; }

    /** A context's clock: lock it around {@link Clock#tick} and the submission of the append. */
    static final class Clock {
        final ReentrantLock lock = new ReentrantLock();
        /** Guarded by {@link #lock}. -1 until recovered from the log. */
        private long value = -1;

        /** The next value: max(local, received) + 1. Caller holds the lock. */
        long tick(long received, Ledger ledger, String stream) {
            assert lock.isHeldByCurrentThread();
            if (value < 0) value = recover(ledger, stream);
            value = Math.max(value, received) + 1;
            if (value < 0) throw new IllegalStateException("bad math in Lamport tick: overflow for " + stream);
            return value;
        }

        /** Raises the clock to at least the context's last entry's (after a Load). Caller holds the lock. */
        void observe(Ledger ledger, String stream) {
            assert lock.isHeldByCurrentThread();
            value = Math.max(value, recover(ledger, stream));
        }

        private static long recover(Ledger ledger, String stream) {
            long last = ledger.stream(stream).map(s -> s.lastSeq()).orElse(0L);
            if (last == 0) return 0;
            List<Entry> tail = ledger.read(stream, last - 1, 1, null);
            return tail.isEmpty() ? 0 : Contexts.lamport(tail.getFirst());
        }
    }

    Clock of(String stream) { return clocks.computeIfAbsent(stream, s -> new Clock()); }

    Ledger ledger() { return ledger; }
}
