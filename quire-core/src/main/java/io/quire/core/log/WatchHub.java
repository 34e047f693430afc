package io.quire.core.log;

import io.quire.core.Entry;
import io.quire.core.QuireException;
import io.quire.core.watch.Watch;
import io.quire.core.watch.WatchEnd;
import io.quire.core.watch.WatchListener;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * Gapless, bounded watches (DESIGN §3.3). A watch is a cursor on its own virtual thread: it reads
 * the stream from the log in pages after its cursor, hands each entry to the listener, and when it
 * reaches the published head it waits on the stream's condition. Backlog and live entries come
 * through the same read path, so there is no hand-over point where an entry could be missed or
 * delivered twice, and nothing is buffered per watcher beyond one page: a slow listener only makes
 * its own cursor lag.
 */
final class WatchHub {
    /** Entries read per page by a watcher. */
    static final int PAGE_ENTRIES = 256;
    /** How long a watcher sleeps before re-checking its stop flag without a wake-up. */
    static final long IDLE_RECHECK_MS = 500;

    private final LogView ledger;
    private final Set<WatchImpl> active = ConcurrentHashMap.newKeySet();

    WatchHub(LogView ledger) { this.ledger = ledger; }

    Watch start(String stream, long afterSeq, String keyFilter, long maxLag, WatchListener listener) {
        StreamState s = ledger.stateForWatch(stream);
        int n = s.watchers.incrementAndGet();
        if (n > ledger.options().watchersPerStream()) {
            s.watchers.decrementAndGet();
            throw QuireException.conflict("stream '" + stream + "' already has " + (n - 1) + " watchers; the limit is "
                    + ledger.options().watchersPerStream() + " (WATCHERS_PER_STREAM)").withCode("too_many_watchers");
        }
        WatchImpl w = new WatchImpl(s, afterSeq, keyFilter, maxLag, listener);
        active.add(w);
        Thread.ofVirtual().name("quire-watch-" + stream).start(w::run);
        return w;
    }

    /** Ends every watch with FAILED and {@code cause} (a read-only ledger that stopped following the log). */
    void failAll(Throwable cause) {
        for (WatchImpl w : new ArrayList<>(active)) w.fail(cause);
    }

    void closeAll() {
        List<WatchImpl> ws = new ArrayList<>(active);
        for (WatchImpl w : ws) w.stop(WatchEnd.Reason.LEDGER_CLOSED);
        for (WatchImpl w : ws) {
            try {
                w.done.await(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private final class WatchImpl implements Watch {
        private final StreamState s;
        private final String keyFilter;
        private final WatchListener listener;
        private final long maxLag;
        private volatile boolean caughtUp;
        private volatile long cursor;
        private volatile long delivered;
        private volatile WatchEnd.Reason stopReason;
        private volatile Throwable stopError;
        private volatile WatchEnd end;
        final CountDownLatch done = new CountDownLatch(1);

        WatchImpl(StreamState s, long afterSeq, String keyFilter, long maxLag, WatchListener listener) {
            this.s = s;
            this.maxLag = maxLag;
            this.cursor = afterSeq;
            this.delivered = afterSeq;
            this.keyFilter = keyFilter;
            this.listener = listener;
        }

        void run() {
            WatchEnd e;
            try {
                e = loop();
            } catch (Throwable t) {
                e = new WatchEnd(stopReason != null ? stopReason : WatchEnd.Reason.FAILED, delivered, stopReason != null ? stopError : t);
            }
            finish(e);
        }

        private WatchEnd loop() throws Exception {
            List<Entry> page = new ArrayList<>(PAGE_ENTRIES);
            while (stopReason == null) {
                page.clear();
                long scanned = ledger.scanStream(s, cursor, PAGE_ENTRIES, keyFilter, page);
                for (Entry e : page) {
                    if (stopReason != null) break;
                    listener.onEntry(e);
                    delivered = e.seq();
                }
                if (stopReason != null) break;
                boolean progressed = scanned != cursor;
                cursor = scanned;
                long head = s.lastSeq;
                if (cursor >= head) caughtUp = true;
                else if (caughtUp && maxLag > 0 && head - cursor > maxLag) {
                    // Live, then fell behind by more than allowed: tell the consumer, who resumes.
                    return new WatchEnd(WatchEnd.Reason.LAGGING, delivered, null);
                }
                if (!progressed) s.awaitBeyond(cursor, IDLE_RECHECK_MS, () -> stopReason != null);
            }
            return new WatchEnd(stopReason, delivered, stopError);
        }

        private void finish(WatchEnd e) {
            end = e;
            active.remove(this);
            s.watchers.decrementAndGet();
            try {
                listener.onEnd(e);
            } finally {
                done.countDown();
            }
        }

        void fail(Throwable cause) {
            if (stopReason == null) stopError = cause; // written before the reason it explains
            stop(WatchEnd.Reason.FAILED);
        }

        void stop(WatchEnd.Reason r) {
            if (stopReason == null) stopReason = r;
            s.lock.lock();
            try {
                s.changed.signalAll();
            } finally {
                s.lock.unlock();
            }
        }

        @Override public String stream() { return s.name; }

        @Override public long lastDeliveredSeq() { return delivered; }

        @Override public boolean live() { return caughtUp; }

        @Override public long lag() { return Math.max(0, s.lastSeq - cursor); }

        @Override
        public WatchEnd awaitEnd() throws InterruptedException {
            done.await();
            return end;
        }

        @Override public void close() { stop(WatchEnd.Reason.CANCELLED); }
    }
}
