package io.quire.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code quire windows run}: a generated day end to end, /metrics and /healthz while running, bad options. */
class WindowsRunCommandTest {
    @TempDir Path tmp;

    @Test
    void shouldRunAGeneratedDayToIdleAndSummarize() throws Exception {
        Run r = Run.in(tmp.resolve("ledger.state"), "windows", "run", "--date", "2025-11-12", "--generate", "5", "--generate-stocks", "2",
                "--exit-when-idle", "--http-port", "-1", "--json");
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("idle").asBoolean()).isTrue();
        assertThat(j.get("symbols").asInt()).isEqualTo(2 + 12);
        for (JsonNode e : j.get("engines")) {
            assertThat(e.get("restarts").asLong()).isZero();
            assertThat(e.get("processed").asLong()).as(e.toString()).isPositive();
        }
        // Every column of the session is complete: zero lag in the summary and in 'quire windows status' (the whole year).
        j.get("lag_minutes").properties().forEach(c -> assertThat(c.getValue().asLong()).as("summary lag of " + c.getKey()).isZero());
        assertThat(j.get("lag_minutes").size()).isEqualTo(11);
        Run st = Run.in(tmp.resolve("ledger.state"), "windows", "status", "--json");
        assertThat(st.code()).as(st.toString()).isZero();
        JsonNode cols = new ObjectMapper().readTree(st.out()).get("columns");
        assertThat(cols.size()).isEqualTo(11);
        cols.properties().forEach(c -> {
            assertThat(c.getValue().get("lag_minutes").asLong()).as("status lag of " + c.getKey()).isZero();
            assertThat(c.getValue().get("filled").asLong()).as("filled " + c.getKey()).isPositive();
            assertThat(c.getValue().get("empty").asLong() + c.getValue().get("pending").asLong() + c.getValue().get("cleared").asLong())
                    .as("not filled " + c.getKey()).isZero();
        });
        // greeks_ref counts the 12 option contracts only; every other column all 14 symbols.
        assertThat(cols.get("greeks_ref").get("filled").asLong()).isEqualTo(12L * 390);
        assertThat(cols.get("aggs_4h").get("filled").asLong()).isEqualTo(14L * 390);
        // Idempotent: a second run over the same day finds nothing to do.
        Run again = Run.in(tmp.resolve("ledger.state"), "windows", "run", "--date", "2025-11-12", "--generate", "5", "--generate-stocks", "2",
                "--exit-when-idle", "--http-port", "-1", "--json", "--engines", "aggressor,greeks,aggregates");
        assertThat(again.code()).as(again.toString()).isZero();
        for (JsonNode e : new ObjectMapper().readTree(again.out()).get("engines")) assertThat(e.get("processed").asLong()).isZero();
    }

    @Test
    void shouldServeMetricsAndHealthWhileRunning() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        AtomicReference<Run> result = new AtomicReference<>();
        Thread t = new Thread(() -> result.set(Run.in(tmp.resolve("ledger.state"), "windows", "run", "--date", "2025-11-12", "--generate", "6",
                "--generate-stocks", "2", "--http-port", Integer.toString(port))));
        t.start();
        HttpClient c = HttpClient.newHttpClient();
        String metrics = null;
        long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < end && t.isAlive()) {
            try {
                var h = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(h.statusCode()).isEqualTo(200);
                assertThat(h.body()).isEqualTo("ok\n");
                var m = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
                if (m.body().contains("windows_engine_processed_total{engine=\"aggregates\"}") && !m.body().contains("windows_engine_processed_total{engine=\"aggregates\"} 0.0")) {
                    metrics = m.body();
                    break;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        t.interrupt(); // the in-process equivalent of SIGTERM: a clean stop
        t.join(120_000);
        assertThat(result.get()).isNotNull();
        assertThat(result.get().code()).as(result.get().toString()).isZero();
        assertThat(metrics).isNotNull().contains("windows_engine_restarts_total{engine=\"ingest\"} 0.0").contains("windows_engine_backlog{engine=\"greeks\"}")
                .contains("window_lag{column=\"trade_ref\"}").contains("window_symbols ").contains("window_mapping_file_bytes{file=\"trade.map\"}")
                .containsPattern("window_mutations_total\\{column=\"trade_ref\",result=\"ok\"\\} [1-9]")
                .contains("window_mutation_latency_seconds_count{column=\"aggs_1m\"}");
    }

    @Test
    void shouldRefuseBadOptions() {
        assertThat(Run.in(tmp, "windows", "run", "--date", "2025-13-01").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(Run.in(tmp, "windows", "run", "--date", "2025-11-12", "--engines", "nope").err()).contains("unknown engine 'nope'");
        assertThat(Run.in(tmp, "windows", "run", "--date", "2025-11-12", "--batch", "0").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(Run.in(tmp, "windows", "run", "--date", "2025-11-12", "--batch", "65537").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(Run.in(tmp, "windows", "run", "--date", "2025-11-12", "--treasury", tmp.resolve("missing.csv").toString()).code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(Run.in(tmp, "windows", "run", "--date", "2025-11-15", "--generate", "1").code()).isEqualTo(ExitCodes.USAGE); // a Saturday
    }
}
