package io.quire.core.crash;

import io.quire.core.Draft;
import io.quire.core.Entry;
import io.quire.core.Ledger;
import io.quire.core.LedgerOptions;
import io.quire.core.Limits;
import io.quire.core.ProgressListener;
import io.quire.core.VerifyReport;
import io.quire.core.crash.CrashSupport.Ack;
import io.quire.core.ops.Restore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An online backup while appenders keep writing (with small segments, so segments roll during it).
 *
 * <p>Invariants checked: restore reports no failures; the restored ledger holds a prefix of the
 * source ledger (same entries at positions 0..n-1); every entry acknowledged before backup()
 * started is in it; the restored ledger verifies and accepts appends.
 */
class BackupDuringAppendsTest {
    static final int THREADS = 3;
    static final int BACKUPS = 3;
    /** Payload bytes appended between two backups: three backups span a segment roll (8 MiB). */
    static final long BYTES_BETWEEN_BACKUPS = 3L << 20;
    static final int PAYLOAD_BYTES_MAX = 16 * 1024;

    @TempDir Path tmp;

    @Test
    void shouldRestoreAPrefixHoldingEveryEntryAcknowledgedBeforeTheBackup() {
        CrashSupport.withSeed(this::run);
    }

    private void run(long seed) throws Exception {
        Path dir = tmp.resolve("ledger");
        Ledger.init(dir);
        Map<Long, Ack> acked = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong bytes = new AtomicLong();
        List<Map<Long, Ack>> before = new ArrayList<>();
        try (Ledger l = Ledger.open(dir, LedgerOptions.defaults().withSegmentBytes(Limits.SEGMENT_BYTES_MIN))) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Random rnd = new Random(seed * 31 + t);
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        while (!stop.get()) {
                            byte[] p = new byte[rnd.nextInt(PAYLOAD_BYTES_MAX + 1)];
                            rnd.nextBytes(p);
                            String s = "s" + rnd.nextInt(4);
                            if (rnd.nextInt(5) == 0) {
                                for (Entry e : l.appendBatch(s, List.of(Draft.of(p), Draft.of(p).withKey("k")))) acked.put(e.position(), Ack.of(e));
                                bytes.addAndGet(2L * p.length);
                            } else {
                                Entry e = l.append(s, Draft.of(p));
                                acked.put(e.position(), Ack.of(e));
                                bytes.addAndGet(p.length);
                            }
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }));
            }
            for (int b = 0; b < BACKUPS; b++) {
                long target = (b + 1) * BYTES_BETWEEN_BACKUPS;
                while (bytes.get() < target && errors.isEmpty()) Thread.sleep(5);
                before.add(new HashMap<>(acked));
                l.backup(tmp.resolve("backup-" + b), ProgressListener.NONE);
            }
            Thread.sleep(20); // appends continue after the last cut
            stop.set(true);
            for (Thread t : threads) t.join();
            assertThat(errors).isEmpty();
            assertThat(LogMap.segments(dir).size()).as("segments rolled during the test").isGreaterThan(1);
        }
        for (int b = 0; b < BACKUPS; b++) {
            Path restored = tmp.resolve("restored-" + b);
            VerifyReport r = Restore.restore(tmp.resolve("backup-" + b), restored, ProgressListener.NONE);
            assertThat(r.failures()).isEmpty();
            try (Ledger src = Ledger.open(dir); Ledger copy = Ledger.open(restored)) {
                long n = copy.size();
                assertThat(n).isGreaterThanOrEqualTo(before.get(b).size()).isLessThanOrEqualTo(src.size());
                for (long p = 0; p < n; p++) {
                    assertThat(Ack.of(copy.readPosition(p))).as("backup %s position %s", b, p).isEqualTo(Ack.of(src.readPosition(p)));
                }
                CrashSupport.checkLedger(copy, before.get(b));
                Entry e = copy.append("s0", Draft.of("after restore"));
                assertThat(e.position()).isEqualTo(n);
                System.out.println("backup " + b + " held " + n + " of " + src.size() + " entries in " + LogMap.segments(restored).size()
                        + " segments; " + before.get(b).size() + " acknowledged before it started");
            }
        }
    }
}
