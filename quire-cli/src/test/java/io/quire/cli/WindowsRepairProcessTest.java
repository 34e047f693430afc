package io.quire.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quire.core.Entry;
import io.quire.core.Ledger;
import io.quire.windows.audit.AuditLimits;
import io.quire.windows.calendar.Session;
import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.mapping.MappingFiles;
import io.quire.windows.mapping.TradePayload;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotMatrix;
import io.quire.windows.slots.SlotStatus;
import io.quire.windows.slots.SlotView;
import io.quire.windows.slots.TradeLedger;
import io.quire.windows.symbols.SymbolLimits;
import io.quire.windows.symbols.SymbolMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.IntStream;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Repair while live: a {@code quire windows run} child process finishes a generated day; then
 * {@code quire clear --yes} (this JVM, another process) clears 30 minutes of one symbol's
 * {@code trade_ref}. The live runner refills exactly that range (new payloads with the same rows;
 * every other trade_ref slot of the day untouched), {@code window_lag} returns to 0, and after a
 * the aggressor and 1-minute aggregates of exactly those minutes are recomputed (versions derived
 * from their inputs'); after a SIGTERM the core stream {@code windows/audit} holds the request and one {@code clear} per slot
 * with the operator and the cause.
 */
class WindowsRepairProcessTest {
    @TempDir Path tmp;

    static final LocalDate DAY = LocalDate.of(2025, 11, 12);
    static final long WAIT_NS = TimeUnit.SECONDS.toNanos(240);

    @Test
    void shouldRefillAClearedRangeWhileLiveAndAuditWhoClearedWhatAndWhy() throws Exception {
        Path ledger = tmp.resolve("ledger.state");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), QuireCli.class.getName(),
                "--dir", ledger.toString(), "windows", "run", "--date", DAY.toString(), "--generate", "11", "--generate-stocks", "2", "--http-port", "-1"))
                .redirectError(tmp.resolve("err").toFile()).redirectOutput(tmp.resolve("out").toFile()).start();
        TradingCalendar cal = TradingCalendar.nyse(2025);
        Session s = cal.sessionOn(DAY).orElseThrow();
        int from = s.firstMinuteIdx() + 60, to = from + 30;
        try {
            awaitZeroLag(p, ledger);
            String symbol;
            int sym;
            try (SymbolMap map = SymbolMap.openReadOnly(SymbolMap.fileIn(ledger, 2025), 2025)) {
                sym = 0;
                symbol = map.symbolOf(sym).orElseThrow();
            }
            SlotView[][] before = tradeRefs(ledger, cal, s);
            SlotView[][] aggrBefore = column(ledger, cal, s, SlotKind.AGGRESSOR_REF);
            SlotView[][] aggs1Before = column(ledger, cal, s, SlotKind.AGGS_1M);
            long[] rowsBefore = recordCounts(ledger, before[sym], from, to);

            Run clear = Run.in(ledger, "clear", "--ledger", "trade", "--slot", "trade_ref", symbol, Integer.toString(from), Integer.toString(to),
                    "--year", "2025", "--cause", "vendor resent the file", "--operator", "alice", "--yes", "--json");
            assertThat(clear.code()).as(clear.toString()).isZero();
            JsonNode cj = new ObjectMapper().readTree(clear.out());
            assertThat(cj.get("cleared").asLong()).isEqualTo(30);

            // The live runner refills the range.
            long end = System.nanoTime() + WAIT_NS;
            while (true) {
                SlotView[][] now = tradeRefs(ledger, cal, s);
                boolean all = true;
                for (int m = from; m < to; m++) all &= now[sym][m - s.firstMinuteIdx()].status() == SlotStatus.FILLED;
                if (all) break;
                assertThat(p.isAlive()).as(Files.readString(tmp.resolve("err"))).isTrue();
                assertThat(System.nanoTime()).as("range refilled").isLessThan(end);
                Thread.sleep(100);
            }
            SlotView[][] after = tradeRefs(ledger, cal, s);
            for (int id = 0; id < before.length; id++) {
                for (int k = 0; k < before[id].length; k++) {
                    int m = s.firstMinuteIdx() + k;
                    SlotView b = before[id][k], a = after[id][k];
                    if (id == sym && m >= from && m < to) {
                        assertThat(a.status()).isEqualTo(SlotStatus.FILLED);
                        assertThat(a.payloadId()).as("minute %d refilled with a new payload", m).isNotEqualTo(b.payloadId());
                        assertThat(a.version()).as("minute %d version", m).isGreaterThanOrEqualTo(b.version());
                    } else {
                        assertThat(a.payloadId()).as("symbol %d minute %d untouched", id, m).isEqualTo(b.payloadId());
                        assertThat(a.version()).as("symbol %d minute %d untouched", id, m).isEqualTo(b.version());
                        assertThat(a.status()).isEqualTo(b.status());
                    }
                }
            }
            assertThat(recordCounts(ledger, after[sym], from, to)).as("the same rows, read again from the file").isEqualTo(rowsBefore);
            awaitZeroLag(p, ledger);
            // Downstream: the refilled trade_ref has a new version, so aggressor_ref and aggs_1m of
            // exactly those minutes are recomputed (their version is derived from their inputs').
            SlotView[][] aggrAfter = column(ledger, cal, s, SlotKind.AGGRESSOR_REF);
            SlotView[][] aggs1After = column(ledger, cal, s, SlotKind.AGGS_1M);
            for (int id = 0; id < before.length; id++) {
                for (int k = 0; k < before[id].length; k++) {
                    int m = s.firstMinuteIdx() + k;
                    boolean inRange = id == sym && m >= from && m < to;
                    assertThat(aggrAfter[id][k].status()).isEqualTo(SlotStatus.FILLED);
                    assertThat(aggrAfter[id][k].version() > aggrBefore[id][k].version()).as("aggressor of symbol %d minute %d recomputed", id, m).isEqualTo(inRange);
                    assertThat(aggs1After[id][k].version() > aggs1Before[id][k].version()).as("aggs_1m of symbol %d minute %d recomputed", id, m).isEqualTo(inRange);
                }
            }
            p.destroy(); // SIGTERM: the runner drains the audit spools on its way out
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).as(Files.readString(tmp.resolve("err"))).isEqualTo(143);
        try (Ledger core = Ledger.open(ledger)) {
            List<Entry> trail = core.read(AuditLimits.STREAM, 0, 0, null);
            ObjectMapper om = new ObjectMapper();
            List<Entry> requests = trail.stream().filter(e -> e.key().equals("clear_request")).toList();
            assertThat(requests).hasSize(1);
            JsonNode rq = om.readTree(new String(requests.getFirst().payload(), StandardCharsets.UTF_8));
            assertThat(requests.getFirst().metadata()).containsEntry("operator", "alice");
            assertThat(rq.get("cause").asText()).isEqualTo("vendor resent the file");
            assertThat(rq.get("column").asText()).isEqualTo("trade_ref");
            assertThat(rq.get("from_minute_idx").asInt()).isEqualTo(from);
            assertThat(rq.get("to_minute_idx").asInt()).isEqualTo(to);
            List<JsonNode> clears = trail.stream().filter(e -> e.key().equals("clear") && "alice".equals(e.metadata().get("operator")))
                    .map(e -> read(om, e)).toList();
            assertThat(clears).hasSize(30);
            assertThat(clears).extracting(c -> c.get("minute_idx").asInt()).containsExactlyInAnyOrderElementsOf(IntStream.range(from, to).boxed().toList());
            assertThat(clears).allSatisfy(c -> {
                assertThat(c.get("cause").asText()).isEqualTo("vendor resent the file");
                assertThat(c.get("column").asText()).isEqualTo("trade_ref");
                assertThat(c.get("before").get("status").asText()).isEqualTo("FILLED");
                assertThat(c.get("after").get("status").asText()).isEqualTo("CLEARED");
            });
        }
        assertThat(Files.list(io.quire.windows.audit.AuditSpool.dirIn(ledger)).filter(f -> f.toString().endsWith(".spool")).toList())
                .as("every spool drained and deleted").isEmpty();
    }

    private static JsonNode read(ObjectMapper om, Entry e) {
        try {
            return om.readTree(new String(e.payload(), StandardCharsets.UTF_8));
        } catch (java.io.IOException x) {
            throw new AssertionError(x);
        }
    }

    /** Polls {@code quire windows status --json} until every column's lag is 0 (the day is complete). */
    private void awaitZeroLag(Process p, Path ledger) throws Exception {
        long end = System.nanoTime() + WAIT_NS;
        while (true) {
            if (Files.exists(ledger.resolve("windows/2025/trade.slots")) && Files.exists(ledger.resolve("windows/2025/enrichment.slots"))) {
                Run st = Run.in(ledger, "windows", "status", "--year", "2025", "--json");
                if (st.code() == 0) {
                    JsonNode cols = new ObjectMapper().readTree(st.out()).get("columns");
                    boolean zero = cols.size() == 11;
                    for (JsonNode c : cols) zero &= c.get("lag_minutes").asLong() == 0 && c.get("filled").asLong() > 0;
                    if (zero) return;
                }
            }
            assertThat(p.isAlive()).as(Files.readString(tmp.resolve("err"))).isTrue();
            assertThat(System.nanoTime()).as("day complete (zero lag)").isLessThan(end);
            Thread.sleep(250);
        }
    }

    private static SlotView[][] tradeRefs(Path ledger, TradingCalendar cal, Session s) { return column(ledger, cal, s, SlotKind.TRADE_REF); }

    /** One column of every symbol (ids 0..13) × every minute of the session, read from the mapped file. */
    private static SlotView[][] column(Path ledger, TradingCalendar cal, Session s, SlotKind col) {
        var kind = col.ledger();
        try (SlotMatrix m = SlotMatrix.open(SlotMatrix.pathFor(ledger, 2025, kind), kind,
                2025, SymbolLimits.SYMBOLS_PER_YEAR_MAX, cal.totalMinutes(), SlotMatrix.Options.defaults().withCreate(false))) {
            SlotView[][] out = new SlotView[14][s.minutes()];
            for (int id = 0; id < 14; id++) {
                for (int k = 0; k < s.minutes(); k++) out[id][k] = m.read(col, id, s.firstMinuteIdx() + k);
            }
            return out;
        }
    }

    private static long[] recordCounts(Path ledger, SlotView[] row, int from, int to) {
        int first = row[0].minuteIdx();
        long[] out = new long[to - from];
        try (MappingFiles maps = MappingFiles.openReadOnly(ledger, 2025)) {
            for (int m = from; m < to; m++) out[m - from] = ((TradePayload) maps.dereference(row[m - first].meta())).ref().recordCount();
        }
        return out;
    }
}
