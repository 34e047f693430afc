package io.quire.core.log;

import io.quire.core.Hash;
import io.quire.core.StreamInfo;
import io.quire.core.index.IndexFile;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One stream's in-memory head. Two views: the <em>published</em> head ({@code lastSeq},
 * {@code lastHash}, {@code lastPosition}; volatile, read by anyone, written by the writer only after
 * the batch holding the entry is durable) and the <em>assigned</em> head (writer thread only:
 * where the next entry of a batch being built will chain). On a failed batch the assigned head is
 * reset to the published one.
 *
 * <p>Watch wake-ups: the writer publishes, then takes {@code lock} and signals {@code changed};
 * a watcher re-checks {@code lastSeq} under {@code lock} before awaiting, so no wake-up is lost.
 */
final class StreamState {
    /**
     * The stream id. Final in practice: set once at construction, except that a
     * {@link ReadOnlyLedger} creates the state of a watched stream the writer has not defined yet
     * with {@link #UNKNOWN_ID} and sets the id from the STREAM frame, before publishing
     * {@code defined} (whose volatile write orders it for readers, who check {@code defined} first).
     */
    int id;
    final String name;
    /** The writable ledger's seq → position index; null in a ReadOnlyLedger, which keeps its own. */
    final IndexFile seqIndex;

    volatile long lastSeq;
    volatile Hash lastHash;
    volatile long lastPosition = -1;
    /** True once the stream's STREAM frame is durable. */
    volatile boolean defined;

    static final int UNKNOWN_ID = -1;

    long assignedSeq;
    Hash assignedHash;
    /** Writer only: set while the stream has entries in the batch being built. */
    boolean inBatch;
    /** Writer only: the stream's last entry in the batch being built (published once per batch). */
    io.quire.core.Entry batchLast;

    final ReentrantLock lock = new ReentrantLock();
    final Condition changed = lock.newCondition();
    final AtomicInteger watchers = new AtomicInteger();

    StreamState(int id, String name, IndexFile seqIndex, long lastSeq, Hash lastHash, long lastPosition, boolean defined) {
        this.id = id;
        this.name = name;
        this.seqIndex = seqIndex;
        this.lastSeq = lastSeq;
        this.lastHash = lastHash;
        this.lastPosition = lastPosition;
        this.defined = defined;
        this.assignedSeq = lastSeq;
        this.assignedHash = lastHash;
    }

    StreamInfo info() { return new StreamInfo(name, id, lastSeq, lastHash, lastPosition); }

    void resetAssigned() {
        assignedSeq = lastSeq;
        assignedHash = lastHash;
    }

    /** Writer: wakes every watcher of this stream. */
    void signal() {
        if (watchers.get() == 0) return;
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Watcher: waits until lastSeq passes {@code seenSeq}, the deadline passes or {@code stop} is true. */
    void awaitBeyond(long seenSeq, long timeoutMs, java.util.function.BooleanSupplier stop) throws InterruptedException {
        lock.lock();
        try {
            if (lastSeq <= seenSeq && !stop.getAsBoolean()) changed.await(timeoutMs, TimeUnit.MILLISECONDS);
        } finally {
            lock.unlock();
        }
    }
}
