package io.quire.server;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.quire.api.context.v1.LoadRequest;
import io.quire.api.context.v1.SnapshotRequest;
import io.quire.api.context.v1.WatchEvent;
import io.quire.api.context.v1.WatchRequest;
import io.quire.context.ContextOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Watch: gapless from from_sequence through live appends and Loads; lagging watchers end and resume. */
class WatchTest {
    @TempDir Path tmp;
    Fixture f;

    @AfterEach void stop() throws Exception { if (f != null) f.close(); }

    /** Collects a watch's events and its end. */
    static final class Collector implements ClientResponseObserver<WatchRequest, WatchEvent> {
        final List<WatchEvent> events = new CopyOnWriteArrayList<>();
        final CompletableFuture<Status> end = new CompletableFuture<>();
        volatile StatusRuntimeException error;
        final boolean manual;
        volatile ClientCallStreamObserver<WatchRequest> call;

        Collector(boolean manual) { this.manual = manual; }

        @Override public void beforeStart(ClientCallStreamObserver<WatchRequest> r) {
            call = r;
            if (manual) r.disableAutoRequestWithInitial(1);
        }

        @Override public void onNext(WatchEvent e) { events.add(e); }

        @Override public void onError(Throwable t) {
            error = t instanceof StatusRuntimeException s ? s : null;
            end.complete(Status.fromThrowable(t));
        }

        @Override public void onCompleted() { end.complete(Status.OK); }

        List<Long> seqs() { return events.stream().map(e -> e.getEntry().getSequence()).toList(); }
    }

    Collector watch(String ctx, String key, long from, boolean manual) {
        Collector c = new Collector(manual);
        f.ctxAsync().watch(WatchRequest.newBuilder().setContextId(ctx).setKey(key).setFromSequence(from).build(), c);
        return c;
    }

    @Test
    void shouldDeliverBacklogThenLiveThenLoadedEntriesInOrder() {
        f = new Fixture(tmp);
        for (int i = 1; i <= 3; i++) f.append("c", "k", "p" + i);
        Collector all = watch("c", "", 1, false);
        Collector odd = watch("c", "odd", 0, false);
        Wait.until(10000, () -> all.events.size() == 2);
        f.append("c", "odd", "p4");
        f.append("c", "k", "p5");
        // Entries arriving by Load are delivered too.
        for (int i = 1; i <= 8; i++) f.append("src", i == 7 ? "odd" : "k", "q" + i);
        ByteString snap = f.ctx().snapshot(SnapshotRequest.newBuilder().setContextId("src").build()).getSnapshot();
        // Load into a fresh context watched from the start.
        Collector loaded = watch("dst", "", 0, false);
        f.ctx().load(LoadRequest.newBuilder().setContextId("dst").setSnapshot(snap).build());
        Wait.until(10000, () -> all.events.size() == 4 && loaded.events.size() == 8 && odd.events.size() == 1);
        assertThat(all.seqs()).containsExactly(2L, 3L, 4L, 5L);
        assertThat(odd.seqs()).containsExactly(4L);
        assertThat(loaded.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(all.end).isNotDone();
    }

    @Test
    void shouldEndAStalledWatcherWithResourceExhaustedAndResumeWithoutGaps() throws Exception {
        f = new Fixture(tmp, c -> c.withContext(ContextOptions.defaults().withWatchStallMsMax(300)));
        String big = "x".repeat(64 * 1024);
        Collector slow = watch("c", "", 0, true); // reads one message, then nothing
        for (int i = 0; i < 100; i++) f.append("c", "k", big);
        Wait.until(20_000, () -> watchers() == 0); // the server gave up on it
        // gRPC hands the status to the client after the messages it buffered: read them now.
        slow.call.request(Integer.MAX_VALUE);
        Status end = slow.end.get(20, TimeUnit.SECONDS);
        assertThat(end.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        String resume = slow.error.getTrailers().get(io.grpc.Metadata.Key.of("quire-resume-from", io.grpc.Metadata.ASCII_STRING_MARSHALLER));
        assertThat(resume).isNotNull();
        long from = Long.parseLong(resume);
        assertThat(slow.seqs()).hasSize((int) from).last().isEqualTo(from);
        assertThat(end.getDescription()).contains("from_sequence=" + from);
        // What the client had consumed plus the resumed watch is every entry exactly once.
        Collector again = watch("c", "", from, false);
        Wait.until(20000, () -> again.events.size() == 100 - from);
        assertThat(again.seqs().getFirst()).isEqualTo(from + 1);
        assertThat(again.seqs().getLast()).isEqualTo(100L);
        Wait.until(10000, () -> f.server.isReady() && watchers() == 1);
    }

    @Test
    void shouldEndAWatcherThatFallsTooFarBehind() throws Exception {
        f = new Fixture(tmp, c -> c.withContext(ContextOptions.defaults().withWatchLagEntriesMax(5).withWatchStallMsMax(60_000)));
        Collector slow = watch("c", "", 0, true);
        String big = "x".repeat(64 * 1024);
        f.append("c", "k", big);
        Wait.until(10000, () -> slow.events.size() == 1);
        for (int i = 0; i < 200; i++) f.append("c", "k", big);
        Wait.until(30_000, () -> watchers() == 0);
        slow.call.request(Integer.MAX_VALUE);
        Status end = slow.end.get(30, TimeUnit.SECONDS);
        assertThat(end.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    }

    @Test
    void shouldEndWatchesWithUnavailableOnShutdown() throws Exception {
        f = new Fixture(tmp);
        f.append("c", "k", "p");
        Collector w = watch("c", "", 0, false);
        Wait.until(10000, () -> w.events.size() == 1);
        f.server.close();
        Status end = w.end.get(10, TimeUnit.SECONDS);
        assertThat(end.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(end.getDescription()).contains("shutting down").contains("from_sequence=1");
    }

    @Test
    void shouldRefuseWatchersOverTheServerLimit() {
        f = new Fixture(tmp, c -> c.withContext(ContextOptions.defaults().withWatchersTotalMax(2)));
        Collector a = watch("c", "", 0, false);
        Collector b = watch("c", "", 0, false);
        Wait.until(10000, () -> watchers() == 2);
        Collector c = watch("c", "", 0, false);
        assertThat(c.end.join().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        a.call.cancel("done", null);
        Wait.until(10000, () -> watchers() == 1);
        Collector d = watch("c", "", 0, false);
        Wait.holds(300, () -> !d.end.isDone());
        assertThat(b.end).isNotDone();
    }

    private int watchers() {
        String m = f.server.httpPort() > 0 ? Http.get(f.server.httpPort(), "/metrics").body() : "";
        for (String line : m.split("\n")) if (line.startsWith("quire_context_watchers ")) return (int) Double.parseDouble(line.split(" ")[1]);
        return -1;
    }
}
