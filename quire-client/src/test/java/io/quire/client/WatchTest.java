package io.quire.client;

import io.grpc.Status;
import io.quire.api.context.v1.Entry;
import io.quire.context.ContextOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The resuming Watch through a real server: restarts and lag ends, no gap and no duplicate. */
class WatchTest {
    @TempDir Path tmp;
    Server s;

    @AfterEach void stop() throws Exception { if (s != null) s.close(); }

    static final class Collect implements WatchListener {
        final List<Long> seqs = new CopyOnWriteArrayList<>();
        final List<Status.Code> reconnects = new CopyOnWriteArrayList<>();
        volatile Status end;
        volatile long slowMs;

        @Override public void onEntry(Entry e) {
            seqs.add(e.getSequence());
            if (slowMs > 0) Server.sleep(slowMs);
        }

        @Override public void onEnd(Status st) { end = st; }

        @Override public void onReconnect(Status st, long last, long delay) { reconnects.add(st.getCode()); }
    }

    static List<Long> oneTo(long n) { return LongStream.rangeClosed(1, n).boxed().toList(); }

    static byte[] b(String x) { return x.getBytes(StandardCharsets.UTF_8); }

    @Test
    void shouldResumeAfterTheServerStopsAndStartsAgainOnTheSamePort() throws Exception {
        s = new Server(tmp);
        try (ContextClient c = new ContextClient(s.channel)) {
            for (int i = 1; i <= 10; i++) c.append("c", "k", b("p" + i));
            Collect got = new Collect();
            try (Watch w = c.watch("c", "", 3, got)) {
                Server.until(10_000, () -> got.seqs.size() == 7);
                for (int i = 11; i <= 20; i++) c.append("c", "k", b("p" + i));
                Server.until(10_000, () -> got.seqs.size() == 17);
                s.stop(); // ends the watch with UNAVAILABLE; reconnects fail until the restart
                Server.until(10_000, () -> w.reconnects() >= 2);
                s.restart();
                for (int i = 21; i <= 40; i++) c.append("c", i % 2 == 0 ? "k" : "j", b("p" + i));
                Server.until(20_000, () -> got.seqs.size() == 37);
                assertThat(got.seqs).isEqualTo(oneTo(40).subList(3, 40));
                assertThat(got.reconnects).contains(Status.Code.UNAVAILABLE);
                assertThat(got.end).isNull();
                assertThat(w.lastSequence()).isEqualTo(40);
            }
        }
    }

    @Test
    void shouldResumeAfterALagEndWithoutGapOrDuplicate() throws Exception {
        s = new Server(tmp, cfg -> cfg.withContext(ContextOptions.defaults().withWatchLagEntriesMax(5)));
        int n = 150;
        try (ContextClient c = new ContextClient(s.channel)) {
            Collect got = new Collect();
            got.slowMs = 20; // a slow listener: with flow control the server sees the client fall behind
            try (Watch w = c.watch("c", "", 0, got)) {
                String big = "x".repeat(64 * 1024);
                for (int i = 1; i <= n; i++) c.append("c", "k", b(big));
                Server.until(30_000, () -> got.reconnects.contains(Status.Code.RESOURCE_EXHAUSTED));
                got.slowMs = 0;
                Server.until(30_000, () -> got.seqs.size() == n);
                assertThat(got.seqs).isEqualTo(oneTo(n));
                assertThat(w.serverResumeFrom()).isPositive();
                assertThat(got.end).isNull();
            }
        }
    }

    @Test
    void shouldEndForGoodOnAStatusThatIsNotResumableAndStopOnClose() throws Exception {
        s = new Server(tmp);
        try (ContextClient c = new ContextClient(s.channel)) {
            Collect bad = new Collect();
            c.watch("", "", 0, bad); // INVALID_ARGUMENT: empty context id
            Server.until(10_000, () -> bad.end != null);
            assertThat(bad.end.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(bad.reconnects).isEmpty();

            Collect got = new Collect();
            Watch w = c.watch("c", "k", 0, got);
            c.append("c", "k", b("1"));
            Server.until(10_000, () -> got.seqs.size() == 1);
            w.close();
            c.append("c", "k", b("2"));
            Server.sleep(200);
            assertThat(got.seqs).containsExactly(1L);
            assertThat(got.end).isNull();
            assertThat(w.isClosed()).isTrue();

            // A listener that throws ends its watch for good; the failed entry is not counted as delivered.
            List<Long> seen = new CopyOnWriteArrayList<>();
            java.util.concurrent.atomic.AtomicReference<Status> ended = new java.util.concurrent.atomic.AtomicReference<>();
            Watch failing = c.watch("c", "", 0, new WatchListener() {
                @Override public void onEntry(Entry e) {
                    if (e.getSequence() == 2) throw new IllegalStateException("boom");
                    seen.add(e.getSequence());
                }

                @Override public void onEnd(Status st) { ended.set(st); }
            });
            Server.until(10_000, () -> ended.get() != null);
            assertThat(ended.get().getCode()).isEqualTo(Status.Code.CANCELLED);
            assertThat(seen).containsExactly(1L);
            assertThat(failing.lastSequence()).isEqualTo(1);
            assertThat(failing.isClosed()).isTrue();
        }
    }
}
