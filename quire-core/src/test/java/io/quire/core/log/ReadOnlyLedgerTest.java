package io.quire.core.log;

import io.quire.core.Draft;
import io.quire.core.Durability;
import io.quire.core.Entry;
import io.quire.core.ErrorKind;
import io.quire.core.Hash;
import io.quire.core.Ledger;
import io.quire.core.LedgerOptions;
import io.quire.core.Limits;
import io.quire.core.ProgressListener;
import io.quire.core.QuireException;
import io.quire.core.VerifyReport;
import io.quire.core.merkle.MerkleMath;
import io.quire.core.ops.Repair;
import io.quire.core.watch.Watch;
import io.quire.core.watch.WatchEnd;
import io.quire.core.watch.WatchListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Read-only opens (LedgerOptions.readOnly): beside a writer instance in this JVM, of a closed
 * ledger, with a torn tail or damage on disk, and when history is cut under a follower. Waits
 * are liveness guards with a deadline ({@link #LIVENESS_MS}); nothing asserts a duration.
 */
class ReadOnlyLedgerTest {
    static final long LIVENESS_MS = 60_000;

    @TempDir Path tmp;

    private Path init() {
        Path dir = tmp.resolve("ledger");
        Ledger.init(dir);
        return dir;
    }

    private static LedgerOptions writable() { return LedgerOptions.defaults().withDurability(Durability.NONE); }

    private static LedgerOptions readOnly() { return LedgerOptions.defaults().withReadOnly(true); }

    private static Draft draft(String id, String key, int bytes, Random r) {
        byte[] p = new byte[bytes];
        r.nextBytes(p);
        return new Draft(id, key, null, p);
    }

    static void await(String what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LIVENESS_MS);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("not within " + LIVENESS_MS + " ms: " + what);
            Thread.sleep(5);
        }
    }

    /** Records every delivered entry and the end. */
    static final class Recorder implements WatchListener {
        final List<Entry> got = Collections.synchronizedList(new ArrayList<>());
        final CompletableFuture<WatchEnd> end = new CompletableFuture<>();

        @Override public void onEntry(Entry e) { got.add(e); }

        @Override public void onEnd(WatchEnd e) { end.complete(e); }

        List<Entry> received() {
            synchronized (got) { return new ArrayList<>(got); }
        }
    }

    private static void assertReadOnlyRefusal(Runnable r) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(QuireException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT);
            assertThat(e.code()).isEqualTo("read_only");
            assertThat(e.getMessage()).contains("read-only");
        });
    }

    /** Gapless: seqs 1..n exactly once, in order, each equal (by hash) to what the writer acknowledged. */
    private static void assertGapless(List<Entry> got, List<Entry> written) {
        assertThat(got).hasSize(written.size());
        for (int i = 0; i < written.size(); i++) {
            assertThat(got.get(i).seq()).as("seq at " + i).isEqualTo(i + 1);
            assertThat(got.get(i).hash()).as("hash of seq " + (i + 1)).isEqualTo(written.get(i).hash());
            assertThat(got.get(i).position()).isEqualTo(written.get(i).position());
        }
    }

    // ------------------------------------------------------------------------------ closed ledger

    @Test
    void shouldServeAClosedLedgerAndChangeNothingInTheDirectory() throws Exception {
        Path dir = init();
        Random r = new Random(1);
        List<Entry> a = new ArrayList<>();
        Hash root;
        String proof;
        try (Ledger w = Ledger.open(dir, writable())) {
            for (int i = 0; i < 50; i++) a.add(w.append("ctx/a", draft("id-" + i, i % 2 == 0 ? "even" : "odd", 100, r)));
            w.append("ctx/b", Draft.of("b1"));
            w.blobs().put("a blob".getBytes(StandardCharsets.UTF_8));
            w.checkpoint();
            for (int i = 50; i < 60; i++) a.add(w.append("ctx/a", draft("id-" + i, "even", 100, r)));
            root = w.rootAt(w.size());
            proof = w.proveInclusion(7, w.size()).encode();
        }
        Files.delete(dir.resolve("LOCK")); // a read-only open must not create it
        Map<String, String> before = DirSnapshot.of(dir);

        Path backup = tmp.resolve("backup");
        try (Ledger ro = Ledger.open(dir, readOnly())) {
            assertThat(ro.size()).isEqualTo(61);
            assertGapless(ro.read("ctx/a", 0, 0, null), a);
            assertThat(ro.read("ctx/a", 0, 0, "odd")).hasSize(25);
            assertThat(ro.readPosition(3).hash()).isEqualTo(a.get(3).hash());
            assertThat(ro.findById("ctx/a", "id-55")).map(Entry::hash).contains(a.get(55).hash());
            assertThat(ro.findById("ctx/a", "nope")).isEmpty();
            assertThat(ro.streams()).hasSize(2);
            assertThat(ro.rootAt(61)).isEqualTo(root);
            assertThat(ro.proveInclusion(7, 61).encode()).isEqualTo(proof);
            assertThat(ro.latestCheckpoint()).isPresent();
            assertThat(ro.blobs().list()).hasSize(1);
            VerifyReport v = ro.verify(ProgressListener.NONE, true);
            assertThat(v.failures()).isEmpty();
            assertThat(v.entries()).isEqualTo(61);
            ByteArrayOutputStream snap = new ByteArrayOutputStream();
            ro.snapshot("ctx/a", snap);
            ro.backup(backup, ProgressListener.NONE);
            Recorder rec = new Recorder();
            try (Watch wt = ro.watch("ctx/a", 0, null, rec)) {
                await("watch backlog", () -> rec.got.size() == 60);
            }

            assertReadOnlyRefusal(() -> ro.append("ctx/a", Draft.of("x")));
            assertReadOnlyRefusal(() -> ro.appendBatch("ctx/a", List.of(Draft.of("x"))));
            assertReadOnlyRefusal(() -> joinUnwrapped(ro.appendAsync("ctx/a", Draft.of("x"))));
            assertReadOnlyRefusal(ro::checkpoint);
            assertReadOnlyRefusal(() -> ro.load("ctx/c", new ByteArrayInputStream(snap.toByteArray()), false));
            assertReadOnlyRefusal(() -> ro.blobs().put("another".getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(DirSnapshot.of(dir)).isEqualTo(before);
        assertThat(dir.resolve("LOCK")).doesNotExist();
        try (Ledger restored = Ledger.open(backup, writable())) {
            assertThat(restored.size()).isEqualTo(61);
            assertThat(restored.rootAt(61)).isEqualTo(root);
        }
    }

    /**
     * join() wraps the failure; this helper keeps {@link #assertReadOnlyRefusal} usable for the
     * async path by unwrapping it.
     */
    private static void joinUnwrapped(CompletableFuture<?> f) {
        try {
            f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw e;
        }
    }

    @Test
    void shouldRefuseAsyncAppendWithReadOnlyCode() throws Exception {
        Path dir = init();
        try (Ledger w = Ledger.open(dir, writable())) { w.append("s", Draft.of("one")); }
        try (Ledger ro = Ledger.open(dir, readOnly())) {
            assertReadOnlyRefusal(() -> joinUnwrapped(ro.appendAsync("s", Draft.of("x"))));
        }
    }

    // ------------------------------------------------------------------------------ beside a writer

    @Test
    void shouldFollowAWriterInThisJvmAndAgreeOnProofs() throws Exception {
        Path dir = init();
        Random r = new Random(2);
        try (Ledger w = Ledger.open(dir, writable())) {
            List<Entry> written = new ArrayList<>();
            for (int i = 0; i < 20; i++) written.add(w.append("s", draft(null, "", 64, r)));
            try (Ledger ro = Ledger.open(dir, readOnly())) {
                assertThat(ro.size()).isEqualTo(20);
                // The writer keeps refusing a second writer while the reader is open.
                assertThatThrownBy(() -> Ledger.open(dir, writable())).isInstanceOfSatisfying(QuireException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
                for (int i = 0; i < 300; i++) written.add(w.append(i % 3 == 0 ? "t" : "s", draft("k" + i, "", 64, r)));
                w.appendBatch("s", List.of(Draft.of("b1"), Draft.of("b2")));
                long n = w.size();
                await("reader reaches " + n, () -> ro.size() == n);
                for (long size : new long[] {1, 2, 3, 20, 21, 255, 256, 257, n - 1, n}) {
                    assertThat(ro.rootAt(size)).as("root at " + size).isEqualTo(w.rootAt(size));
                    for (long p : new long[] {0, size / 2, size - 1}) {
                        assertThat(ro.proveInclusion(p, size)).as("inclusion " + p + " in " + size).isEqualTo(w.proveInclusion(p, size));
                    }
                    assertThat(ro.proveConsistency(1, size)).isEqualTo(w.proveConsistency(1, size));
                    assertThat(ro.proveConsistency(size, n)).isEqualTo(w.proveConsistency(size, n));
                }
                assertThat(MerkleMath.verifyInclusion(ro.proveInclusion(n - 1, n), w.rootAt(n))).isTrue();
                assertThat(ro.streams()).isEqualTo(w.streams());
                assertThat(ro.findById("t", "k3").map(Entry::hash)).isEqualTo(w.findById("t", "k3").map(Entry::hash));
                assertThat(ro.read("s", 0, 0, null).stream().map(Entry::hash).toList())
                        .isEqualTo(w.read("s", 0, 0, null).stream().map(Entry::hash).toList());
                // A checkpoint seals (rewrites catalog.bin) under the reader; it keeps its overlay.
                w.checkpoint();
                w.append("s", Draft.of("after checkpoint"));
                await("reader after the seal", () -> ro.size() == n + 1);
                VerifyReport v = ro.verify(ProgressListener.NONE, true);
                assertThat(v.failures()).isEmpty();
                assertThat(v.entries()).isGreaterThanOrEqualTo(n + 1);
            }
        }
    }

    @Test
    void shouldVerifyBesideAnAppendingWriterWithoutFailures() throws Exception {
        Path dir = init();
        try (Ledger w = Ledger.open(dir, writable().withSegmentBytes(Limits.SEGMENT_BYTES_MIN))) {
            w.append("s", Draft.of("first"));
            w.checkpoint();
            try (Ledger ro = Ledger.open(dir, readOnly())) {
                List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
                Thread appender = Thread.ofPlatform().start(() -> {
                    try {
                        Random r = new Random(3);
                        for (int i = 0; i < 400; i++) {
                            w.append(i % 2 == 0 ? "s" : "u", draft(null, "", 20_000, r));
                            if (i % 100 == 0) w.checkpoint();
                        }
                    } catch (Throwable t) {
                        errors.add(t);
                    }
                });
                for (int round = 0; round < 5; round++) {
                    VerifyReport v = ro.verify(ProgressListener.NONE, true);
                    assertThat(v.failures()).as("round " + round).isEmpty();
                }
                appender.join();
                assertThat(errors).isEmpty();
                await("reader catches up", () -> ro.size() == w.size());
                assertThat(ro.verify(ProgressListener.NONE, true).failures()).isEmpty();
            }
        }
    }

    /**
     * Invariants checked: a watch on a read-only ledger, started before the appends (and one
     * started after some), delivers seq 1..n exactly once in order while the writer rolls segments
     * (minimal segments, ~1 MiB payloads) and seals; the reader's roots equal the writer's.
     */
    @Test
    void shouldWatchGaplessAcrossSegmentRolls() throws Exception {
        Path dir = init();
        Random r = new Random(4);
        try (Ledger w = Ledger.open(dir, writable().withSegmentBytes(Limits.SEGMENT_BYTES_MIN));
             Ledger ro = Ledger.open(dir, readOnly())) {
            Recorder early = new Recorder();
            Recorder late = new Recorder();
            Recorder other = new Recorder();
            ro.watch("big", 0, null, early);
            ro.watch("never-written-yet", 0, null, other);
            List<Entry> written = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                written.add(w.append("big", draft(null, "", 1 << 20, r)));
                if (i == 10) ro.watch("big", 0, null, late);
                if (i == 25) w.checkpoint();
                if (i % 7 == 0) w.append("never-written-yet", Draft.of("x" + i));
            }
            try (Stream<Path> segs = Files.list(dir.resolve("log"))) {
                assertThat(segs.count()).as("segments rolled").isGreaterThanOrEqualTo(5);
            }
            await("early watcher", () -> early.got.size() >= 40);
            await("late watcher", () -> late.got.size() >= 40);
            await("watcher of a stream created after the watch", () -> other.got.size() >= 6);
            assertGapless(early.received(), written);
            assertGapless(late.received(), written);
            assertThat(other.received()).extracting(Entry::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            assertThat(early.end).isNotDone();
            long n = w.size();
            await("reader size", () -> ro.size() == n);
            assertThat(ro.rootAt(n)).isEqualTo(w.rootAt(n));
            assertThat(ro.verify(ProgressListener.NONE, false).failures()).isEmpty();
        }
    }

    // ------------------------------------------------------------------------------ the tail and damage

    @Test
    void shouldNotSeeNorTouchATornTail() throws Exception {
        Path dir = init();
        try (Ledger w = Ledger.open(dir, writable())) {
            for (int i = 0; i < 10; i++) w.append("s", Draft.of("e" + i));
        }
        Path seg = lastSegment(dir);
        byte[] torn = new byte[300];
        java.util.Arrays.fill(torn, (byte) 0x5A); // an incomplete write: no commit frame closes it
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(torn));
        }
        Map<String, String> before = DirSnapshot.of(dir);
        try (Ledger ro = Ledger.open(dir, readOnly())) {
            assertThat(ro.size()).isEqualTo(10);
            assertThat(ro.read("s", 0, 0, null)).hasSize(10);
            assertThat(ro.recovery().truncated()).isFalse();
            assertThat(ro.verify(ProgressListener.NONE, true).failures()).isEmpty();
        }
        assertThat(DirSnapshot.of(dir)).isEqualTo(before);
        // The writer still owns the decision: it truncates the tail and carries on.
        try (Ledger w = Ledger.open(dir, writable())) {
            assertThat(w.recovery().tornBytes()).isEqualTo(300);
            assertThat(w.size()).isEqualTo(10);
        }
    }

    @Test
    void shouldRefuseDamageInTheScannedRegionLikeAWritableOpen() throws Exception {
        Path dir = init();
        try (Ledger w = Ledger.open(dir, writable())) {
            for (int i = 0; i < 10; i++) w.append("s", Draft.of("entry number " + i));
        }
        // Without a catalog nothing is sealed: the whole log is scanned.
        Files.delete(dir.resolve("index/catalog.bin"));
        Path seg = lastSegment(dir);
        byte[] b = Files.readAllBytes(seg);
        int at = indexOf(b, "entry number 4".getBytes(StandardCharsets.UTF_8));
        b[at] ^= 1;
        Files.write(seg, b);
        Map<String, String> before = DirSnapshot.of(dir);
        QuireException ro = catchQuire(() -> Ledger.open(dir, readOnly()).close());
        assertThat(ro.kind()).isEqualTo(ErrorKind.INTEGRITY);
        assertThat(DirSnapshot.of(dir)).isEqualTo(before);
        QuireException rw = catchQuire(() -> Ledger.open(dir, writable()).close());
        assertThat(rw.kind()).isEqualTo(ErrorKind.INTEGRITY);
        assertThat(ro.getMessage()).isEqualTo(rw.getMessage());
    }

    @Test
    void shouldRebuildEverythingInMemoryWhenTheCatalogIsMissing() throws Exception {
        Path dir = init();
        Hash root;
        // Segments larger than the follower's first window (Follower.WINDOW_BYTES), so the scan's
        // windows end inside batches and must read on.
        try (Ledger w = Ledger.open(dir, writable().withSegmentBytes(4L * Follower.WINDOW_BYTES))) {
            Random r = new Random(5);
            for (int i = 0; i < 30; i++) w.append(i % 2 == 0 ? "a" : "b", draft("i" + i, "", 1_500_000, r));
            root = w.rootAt(30);
        }
        Files.delete(dir.resolve("index/catalog.bin"));
        Map<String, String> before = DirSnapshot.of(dir);
        try (Ledger ro = Ledger.open(dir, readOnly())) {
            assertThat(ro.size()).isEqualTo(30);
            assertThat(ro.recovery().reindexedEntries()).isEqualTo(30);
            assertThat(ro.rootAt(30)).isEqualTo(root);
            assertThat(ro.findById("b", "i7")).isPresent();
            assertThat(ro.verify(ProgressListener.NONE, true).failures()).isEmpty();
        }
        assertThat(DirSnapshot.of(dir)).isEqualTo(before);
    }

    @Test
    void shouldFailAFollowerWhenHistoryIsCutUnderIt() throws Exception {
        Path dir = init();
        try (Ledger w = Ledger.open(dir, writable())) {
            for (int i = 0; i < 20; i++) w.append("s", Draft.of("e" + i));
        }
        try (Ledger ro = Ledger.open(dir, readOnly())) {
            Recorder rec = new Recorder();
            ro.watch("s", 0, null, rec);
            await("backlog", () -> rec.got.size() == 20);
            Repair.truncateAfter(dir, 9);
            WatchEnd end = rec.end.get(LIVENESS_MS, TimeUnit.MILLISECONDS);
            assertThat(end.reason()).isEqualTo(WatchEnd.Reason.FAILED);
            assertThat(end.error()).isInstanceOfSatisfying(QuireException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY));
            QuireException e = catchQuire(() -> ro.read("s", 0, 0, null));
            assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY);
            assertThat(e.getMessage()).contains("stopped following");
        }
    }

    @Test
    void shouldRefuseRepairAndASecondWriterInThisJvmWithoutReleasingTheLock() throws Exception {
        Path dir = init();
        try (Ledger w = Ledger.open(dir, writable())) {
            w.append("s", Draft.of("one"));
            assertThat(catchQuire(() -> Ledger.open(dir, writable())).kind()).isEqualTo(ErrorKind.CONFLICT);
            assertThat(catchQuire(() -> Repair.truncateAfter(dir, 0)).kind()).isEqualTo(ErrorKind.CONFLICT);
            try (Ledger ro = Ledger.open(dir, readOnly())) {
                assertThat(ro.size()).isEqualTo(1);
            }
            w.append("s", Draft.of("two"));
        }
        try (Ledger again = Ledger.open(dir, writable())) {
            assertThat(again.size()).isEqualTo(2);
        }
    }

    @Test
    void shouldOpenAnEmptyLedgerAndSeeItsFirstSegmentAppear() throws Exception {
        Path dir = init();
        try (Ledger ro = Ledger.open(dir, readOnly())) {
            assertThat(ro.size()).isZero();
            assertThat(ro.verify(ProgressListener.NONE, true).failures()).isEmpty();
            Recorder rec = new Recorder();
            ro.watch("s", 0, null, rec);
            try (Ledger w = Ledger.open(dir, writable())) {
                w.append("s", Draft.of("hello"));
                await("first entry", () -> rec.got.size() == 1);
                assertThat(ro.rootAt(1)).isEqualTo(w.rootAt(1));
            }
        }
    }

    // ------------------------------------------------------------------------------ helpers

    static Path lastSegment(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("log"))) {
            return s.filter(p -> p.toString().endsWith(".seg")).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new AssertionError("not found");
    }

    static QuireException catchQuire(Runnable r) {
        try {
            r.run();
        } catch (QuireException e) {
            return e;
        }
        throw new AssertionError("expected a QuireException");
    }
}
