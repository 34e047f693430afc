package io.quire.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quire.api.context.v1.Entry;
import io.quire.api.context.v1.GetResponse;
import io.quire.api.context.v1.SnapshotResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ContextClient's unary calls through a real server: safe retries, no retry of answers, deadlines. */
class ContextClientTest {
    @TempDir Path tmp;
    Server s;

    @AfterEach void stop() throws Exception { if (s != null) s.close(); }

    static byte[] b(String x) { return x.getBytes(StandardCharsets.UTF_8); }

    /**
     * Lets the first {@code lose} calls reach the server and run there, then throws their answer away and reports
     * UNAVAILABLE instead: a lost response, the case where a naive retry writes twice.
     */
    static final class LoseAnswers implements ClientInterceptor {
        final AtomicInteger calls = new AtomicInteger();
        final int lose;

        LoseAnswers(int lose) { this.lose = lose; }

        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> m, CallOptions o, Channel next) {
            boolean drop = calls.incrementAndGet() <= lose;
            return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(m, o)) {
                @Override
                public void start(Listener<R> l, Metadata h) {
                    super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(l) {
                        @Override public void onMessage(R msg) { if (!drop) super.onMessage(msg); }

                        @Override public void onClose(Status st, Metadata t) {
                            super.onClose(drop && st.isOk() ? Status.UNAVAILABLE.withDescription("answer lost (test)") : st, t);
                        }
                    }, h);
                }
            };
        }
    }

    @Test
    void shouldRetryAnAppendWhoseAnswerWasLostAndWriteItOnce() {
        s = new Server(tmp);
        LoseAnswers lose = new LoseAnswers(2);
        try (ContextClient c = new ContextClient(ClientInterceptors.intercept(s.channel, lose))) {
            Entry e = c.append("c", "k", b("hello")); // no id given: the client makes one, the same on every attempt
            assertThat(lose.calls.get()).isEqualTo(3);
            assertThat(e.getId()).isNotEmpty();
            assertThat(e.getSequence()).isEqualTo(1);
            GetResponse all = c.get("c", "", 0, 0);
            assertThat(all.getEntriesList()).hasSize(1);
            assertThat(all.getEntries(0).getId()).isEqualTo(e.getId());
            assertThat(all.getLatestSequence()).isEqualTo(1);
            // The caller's own id: a second append with it is the same entry.
            Entry a = c.append("c", "k", b("x"), Map.of("m", "v"), "my-id");
            Entry again = c.append("c", "k", b("x"), Map.of("m", "v"), "my-id");
            assertThat(again).isEqualTo(a);
            assertThat(c.get("c", "", 0, 0).getLatestSequence()).isEqualTo(2);
        }
    }

    @Test
    void shouldNotRetryAnswersThatRetryingCannotChange() {
        s = new Server(tmp);
        AtomicInteger calls = new AtomicInteger();
        ClientInterceptor count = new ClientInterceptor() {
            @Override public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> m, CallOptions o, Channel next) {
                calls.incrementAndGet();
                return next.newCall(m, o);
            }
        };
        try (ContextClient c = new ContextClient(ClientInterceptors.intercept(s.channel, count))) {
            // INVALID_ARGUMENT: an empty context id.
            assertThatThrownBy(() -> c.append("", "k", b("p"))).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
            assertThat(calls.get()).isEqualTo(1);
            // ALREADY_EXISTS: an id reused for another entry.
            c.append("c", "k", b("one"), Map.of(), "id-1");
            calls.set(0);
            assertThatThrownBy(() -> c.append("c", "k", b("two"), Map.of(), "id-1")).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS));
            assertThat(calls.get()).isEqualTo(1);
        }
    }

    @Test
    void shouldGiveUpAfterTheBoundedAttemptsWhenTheServerIsGone() throws Exception {
        s = new Server(tmp);
        s.stop();
        Backoff quick = new Backoff(Duration.ofMillis(5), Duration.ofMillis(20), 3);
        AtomicInteger calls = new AtomicInteger();
        ClientInterceptor count = new ClientInterceptor() {
            @Override public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> m, CallOptions o, Channel next) {
                calls.incrementAndGet();
                return next.newCall(m, o);
            }
        };
        try (ContextClient c = new ContextClient(ClientInterceptors.intercept(s.channel, count)).withCallBackoff(quick).withDeadline(Duration.ofSeconds(2))) {
            assertThatThrownBy(() -> c.get("c", "", 0, 0)).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
            assertThat(calls.get()).isEqualTo(3);
        }
        s.restart();
    }

    @Test
    void shouldSnapshotAndLoadAndGetWithDeadlines() {
        s = new Server(tmp);
        try (ContextClient c = new ContextClient(s.channel)) {
            assertThat(c.deadline()).isEqualTo(ContextClient.DEADLINE_DEFAULT);
            for (int i = 1; i <= 5; i++) c.append("src", i % 2 == 0 ? "even" : "odd", b("p" + i));
            SnapshotResponse snap = c.snapshot("src");
            assertThat(snap.getSequence()).isEqualTo(5);
            assertThat(c.load("dst", snap.getSnapshot().toByteArray(), true).getEntriesRestored()).isEqualTo(5);
            // Loading the same snapshot again (a retry) adds nothing.
            assertThat(c.load("dst", snap.getSnapshot().toByteArray(), false).getLatestSequence()).isEqualTo(5);
            GetResponse even = c.get("dst", "even", 0, 0);
            assertThat(even.getEntriesList()).extracting(Entry::getSequence).containsExactly(2L, 4L);
            assertThat(even.getLatestSequence()).isEqualTo(5);
            assertThat(c.get("dst", "", 2, 2).getEntriesList()).extracting(Entry::getSequence).containsExactly(3L, 4L);
            // A deadline too short for any answer is DEADLINE_EXCEEDED once the bounded retries are spent.
            ContextClient hurried = c.withDeadline(Duration.ofNanos(1)).withCallBackoff(new Backoff(Duration.ZERO, Duration.ZERO, 2));
            assertThatThrownBy(() -> hurried.get("dst", "", 0, 0)).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
        }
    }
}
