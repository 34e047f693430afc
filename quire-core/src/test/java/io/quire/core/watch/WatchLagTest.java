package io.quire.core.watch;

import io.quire.core.Draft;
import io.quire.core.Entry;
import io.quire.core.ErrorKind;
import io.quire.core.Ledger;
import io.quire.core.QuireException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A live watcher that falls more than its allowed lag behind is ended LAGGING and resumes without gaps. */
class WatchLagTest {
    @TempDir Path dir;

    @Test
    void shouldEndLiveWatcherThatFallsBehindAndResumeWithoutGaps() throws Exception {
        Ledger.init(dir);
        try (Ledger l = Ledger.open(dir)) {
            CountDownLatch blockedOnSecond = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            List<Long> got = new CopyOnWriteArrayList<>();
            Watch w = l.watch("s", 0, null, 10, new WatchListener() {
                @Override public void onEntry(Entry e) throws Exception {
                    got.add(e.seq());
                    if (e.seq() == 2) {
                        blockedOnSecond.countDown();
                        release.await(30, TimeUnit.SECONDS);
                    }
                }
            });
            l.append("s", Draft.of("1"));
            // Deterministic start: the watch has delivered seq 1 and reached the head (it is live).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(w.live() && got.contains(1L)) && System.nanoTime() < deadline) Thread.sleep(5);
            assertThat(w.live()).isTrue();
            l.append("s", Draft.of("2"));
            assertThat(blockedOnSecond.await(30, TimeUnit.SECONDS)).isTrue();
            // The listener holds seq 2: its page ended at the head of that moment, seq 2.
            for (int i = 3; i <= 50; i++) l.append("s", Draft.of(Integer.toString(i)));
            assertThat(w.lag()).isGreaterThan(10);
            release.countDown();
            WatchEnd end = w.awaitEnd();
            assertThat(end.reason()).isEqualTo(WatchEnd.Reason.LAGGING);
            long resumeFrom = end.lastSeq();
            assertThat(got).last().isEqualTo(resumeFrom);

            List<Long> rest = new CopyOnWriteArrayList<>();
            CountDownLatch all = new CountDownLatch(1);
            try (Watch w2 = l.watch("s", resumeFrom, null, new WatchListener() {
                @Override public void onEntry(Entry e) {
                    rest.add(e.seq());
                    if (e.seq() == 50) all.countDown();
                }
            })) {
                assertThat(all.await(30, TimeUnit.SECONDS)).isTrue();
            }
            List<Long> seen = new java.util.ArrayList<>(got);
            seen.addAll(rest);
            assertThat(seen).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 50).boxed().toList());
        }
    }

    @Test
    void shouldNotEndABacklogReaderOrAnUnlimitedWatcher() throws Exception {
        Ledger.init(dir);
        try (Ledger l = Ledger.open(dir)) {
            for (int i = 0; i < 100; i++) l.append("s", Draft.of("x"));
            CountDownLatch done = new CountDownLatch(1);
            // Starts 100 behind with a limit of 5: catching up on a backlog is not lagging.
            try (Watch w = l.watch("s", 0, null, 5, e -> { if (e.seq() == 100) done.countDown(); })) {
                assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
                w.close();
                assertThat(w.awaitEnd().reason()).isEqualTo(WatchEnd.Reason.CANCELLED);
            }
        }
    }

    @Test
    void shouldRefuseNegativeLag() {
        Ledger.init(dir);
        try (Ledger l = Ledger.open(dir)) {
            assertThatThrownBy(() -> l.watch("s", 0, null, -1, e -> {}))
                    .isInstanceOfSatisfying(QuireException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT));
        }
    }
}
