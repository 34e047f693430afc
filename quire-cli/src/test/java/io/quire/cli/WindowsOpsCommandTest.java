package io.quire.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.quire.core.Entry;
import io.quire.core.Ledger;
import io.quire.core.LedgerOptions;
import io.quire.windows.audit.AuditDrain;
import io.quire.windows.audit.AuditLimits;
import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.mapping.ArtifactRef;
import io.quire.windows.mapping.MappingFiles;
import io.quire.windows.mapping.TradePayload;
import io.quire.windows.slots.EnrichmentLedger;
import io.quire.windows.slots.PayloadMeta;
import io.quire.windows.slots.PayloadType;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotMatrix;
import io.quire.windows.slots.SlotStatus;
import io.quire.windows.slots.TradeLedger;
import io.quire.windows.symbols.SymbolMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The windows operator commands end to end, in-process (tail also as a real child JVM beside a
 * writer): output, JSON fields, the audit trail, the region lifecycle and bad input on every
 * command (exit code, message, nothing changed).
 */
class WindowsOpsCommandTest {
    @TempDir Path dir;

    static final TradingCalendar CAL = TradingCalendar.nyse(2025);
    /** 200 symbols x 96,960 minutes = 19,392,000 slots: one more symbol than tail's SLOTS_MAX allows without --symbol. */
    static final int CAPACITY = 200;
    /** 2025-03-10 09:30 New York (EDT) = 13:30Z = minute_idx 17160. */
    static final int M = 17160;
    long tradeId;

    @BeforeEach
    void setUp() {
        Ledger.init(dir);
        try (SymbolMap sm = SymbolMap.open(SymbolMap.fileIn(dir, 2025), 2025);
             MappingFiles mf = MappingFiles.open(dir, 2025);
             TradeLedger t = TradeLedger.open(dir, 2025, CAPACITY, CAL.totalMinutes(), SlotMatrix.Options.defaults());
             EnrichmentLedger e = EnrichmentLedger.open(dir, 2025, CAPACITY, CAL.totalMinutes(), SlotMatrix.Options.defaults())) {
            assertThat(sm.resolve("AAPL")).isZero();
            assertThat(sm.resolve("MSFT")).isEqualTo(1);
            var a = mf.append(new TradePayload(new ArtifactRef("trades/2025-03-10.csv", 0, 100, 3, 1, 2)));
            tradeId = a.payloadId();
            for (int i = 0; i < 5; i++) assertThat(t.setTradeRef(0, M + i, a.meta(3, 1_741_613_400_000_000_000L)).ok()).isTrue();
            assertThat(e.setGreeksRef(0, M, new PayloadMeta(PayloadType.GREEKS, 9, 1, 0xAB, 5)).ok()).isTrue();
        }
    }

    private static JsonNode json(Run r) throws Exception { return Json.mapper().readTree(r.out()); }

    private List<Entry> audit() {
        try (Ledger l = Ledger.open(dir, LedgerOptions.defaults().withReadOnly(true))) {
            return l.read(AuditLimits.STREAM, 0, 0, null);
        }
    }

    private static void bad(Run r, int code, String message) {
        assertThat(r.code()).as(r.toString()).isEqualTo(code);
        assertThat(r.err()).as(r.toString()).contains(message);
        assertThat(r.out()).as("nothing on stdout").isEmpty();
    }

    // ------------------------------------------------------------------ window

    @Test
    void shouldPrintBothRowsOfAWindowForEveryFormOfMinute() throws Exception {
        for (String minute : List.of("2025-03-10T09:30", "2025-03-10 09:30", "2025-03-10T13:30:00Z", "2025-03-10T09:30:30-04:00", "2025:45:1")) {
            Run r = Run.in(dir, "window", "AAPL", minute, "--json");
            assertThat(r.code()).as(minute + "\n" + r).isZero();
            JsonNode o = json(r);
            assertThat(o.get("minute_idx").asInt()).isEqualTo(M);
            assertThat(o.get("window_id").asText()).isEqualTo("2025:45:1");
            assertThat(o.get("start_ts").asText()).isEqualTo("2025-03-10T13:30:00Z");
            assertThat(o.get("end_ts").asText()).isEqualTo("2025-03-10T13:31:00Z");
            assertThat(o.get("trade")).hasSize(4);
            assertThat(o.get("enrichment")).hasSize(7);
            JsonNode tr = o.get("trade").get(1);
            List<String> fields = new ArrayList<>();
            tr.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).containsExactly("column", "status", "payload_type", "payload_id", "version", "checksum", "last_updated_ns", "last_updated");
            assertThat(tr.get("column").asText()).isEqualTo("trade_ref");
            assertThat(tr.get("status").asText()).isEqualTo("filled");
            assertThat(tr.get("payload_type").asText()).isEqualTo("trade");
            assertThat(tr.get("payload_id").asLong()).isEqualTo(tradeId);
            assertThat(tr.get("version").asInt()).isEqualTo(3);
            assertThat(tr.get("last_updated").asText()).isEqualTo("2025-03-10T13:30:00Z");
            assertThat(o.get("enrichment").get(0).get("checksum").asText()).isEqualTo("000000ab");
            assertThat(o.get("trade").get(0).get("status").asText()).isEqualTo("empty");
        }
        Run byIdx = Run.in(dir, "window", "AAPL", Integer.toString(M), "--year", "2025");
        assertThat(byIdx.code()).as(byIdx.toString()).isZero();
        assertThat(byIdx.out()).contains("minute_idx 17160 window_id 2025:45:1", "trade:", "enrichment:", "trade_ref", "aggs_4h", "filled");
        assertThat(byIdx.lines()).hasSize(1 + 2 + 4 + 2 + 7);
        // A bare minute_idx finds the ledger's only year without --year.
        assertThat(Run.in(dir, "window", "MSFT", "0").code()).isZero();
    }

    @Test
    void shouldRefuseBadInputToWindow() {
        bad(Run.in(dir, "window", "AAPL", "2025-03-08T10:00"), 3, "market closed at 2025-03-08T10:00");
        bad(Run.in(dir, "window", "AAPL", "2025-03-10T08:00"), 3, "before_open");
        bad(Run.in(dir, "window", "AAPL", "2025-04-18T10:00"), 3, "Good Friday");
        bad(Run.in(dir, "window", "NOPE", "2025-03-10T09:30"), 3, "unknown symbol 'NOPE' in 2025");
        bad(Run.in(dir, "window", "A B", "2025-03-10T09:30"), 1, "SYMBOL:");
        bad(Run.in(dir, "window", "AAPL", "yesterday"), 1, "MINUTE: 'yesterday' is not a minute_idx");
        bad(Run.in(dir, "window", "AAPL", "96960"), 1, "past the last minute of 2025");
        bad(Run.in(dir, "window", "AAPL", "2025:251:1"), 1, "MINUTE:");
        bad(Run.in(dir, "window", "AAPL", "5", "--year", "1999"), 1, "YEAR");
        bad(Run.in(dir, "window", "AAPL", "2024-03-11T09:30"), 3, "no symbol map for 2024");
        bad(Run.in(dir, "window", "AAPL"), 1, "Missing required parameter");
        bad(Run.in(dir.resolve("nothing"), "window", "AAPL", "5"), 3, "no windows ledger");
        Run j = Run.in(dir, "window", "NOPE", "2025-03-10T09:30", "--json");
        assertThat(j.code()).isEqualTo(3);
        assertThat(j.err()).contains("\"kind\":\"NOT_FOUND\"", "\"code\":\"symbol_unknown\"");
    }

    // ------------------------------------------------------------------ clear

    @Test
    void shouldDryRunByDefaultThenClearAndAuditWithYes() throws Exception {
        Run dry = Run.in(dir, "clear", "--ledger", "trade", "--slot", "trade_ref", "AAPL", "2025-03-10T09:30", "2025-03-10T09:33", "--cause", "bad file");
        assertThat(dry.code()).as(dry.toString()).isZero();
        assertThat(dry.lines()).hasSize(3);
        assertThat(dry.lines().getFirst()).startsWith("17160 2025:45:1 ");
        assertThat(dry.err()).contains("dry run: 3 of 3 trade_ref slots of AAPL (minute_idx 17160..17162) would be cleared; add --yes");
        assertThat(status(0, M)).isEqualTo(SlotStatus.FILLED);
        assertThat(audit()).isEmpty();

        Run yes = Run.in(dir, "clear", "--ledger", "trade", "--slot", "trade_ref", "AAPL", "17160", "17170", "--year", "2025",
                "--cause", "refetch", "--operator", "alice", "--yes", "--json");
        assertThat(yes.code()).as(yes.toString()).isZero();
        JsonNode o = json(yes);
        assertThat(o.get("dry_run").asBoolean()).isFalse();
        assertThat(o.get("cleared").asInt()).isEqualTo(5);
        assertThat(o.get("slots")).hasSize(5);
        assertThat(o.get("audit").asText()).isEqualTo("log");
        for (int i = 0; i < 5; i++) assertThat(status(0, M + i)).isEqualTo(SlotStatus.CLEARED);
        List<Entry> es = audit();
        assertThat(es).extracting(Entry::key).first().isEqualTo("clear_request");
        assertThat(es).hasSize(1 + 10);
        assertThat(es).allSatisfy(e -> assertThat(e.metadata()).containsEntry("operator", "alice"));
        String first = new String(es.get(1).payload(), StandardCharsets.UTF_8);
        assertThat(first).contains("\"column\":\"trade_ref\"", "\"symbol\":\"AAPL\"", "\"minute_idx\":17160", "\"cause\":\"refetch\"",
                "\"before\":{\"status\":\"FILLED\"");
    }

    @Test
    void shouldSpoolTheAuditWhileAnotherWriterHoldsTheLedgerAndLetItDrain() throws Exception {
        try (Ledger runner = Ledger.open(dir)) {
            Run r = Run.in(dir, "clear", "--ledger", "trade", "--slot", "trade_ref", "AAPL", "17160", "17161", "--cause", "x", "--yes");
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.err()).contains("audit spooled; the process holding the ledger moves it into windows/audit");
            assertThat(runner.read(AuditLimits.STREAM, 0, 0, null)).isEmpty();
            AuditDrain.drain(runner, dir);
            assertThat(runner.read(AuditLimits.STREAM, 0, 0, null)).extracting(Entry::key).containsExactly("clear_request", "clear");
        }
    }

    @Test
    void shouldRefuseBadInputToClearAndChangeNothing() {
        String[] base = {"clear", "--ledger", "trade", "--slot", "trade_ref", "AAPL", "17160", "17165", "--yes"};
        bad(Run.in(dir, concat(base, "--cause", " ")), 1, "--cause: must not be blank");
        bad(Run.in(dir, concat(base, "--cause", "x".repeat(ClearCommand.CAUSE_BYTES_MAX + 1))), 1, "CAUSE_BYTES_MAX");
        bad(Run.in(dir, concat(base, "--cause", "a\nb")), 1, "control characters");
        bad(Run.in(dir, base), 1, "--cause");
        bad(Run.in(dir, "clear", "--ledger", "trades", "--slot", "trade_ref", "AAPL", "1", "2", "--cause", "c"), 1, "--ledger: 'trades'");
        bad(Run.in(dir, "clear", "--ledger", "enrichment", "--slot", "trade_ref", "AAPL", "1", "2", "--cause", "c"), 1, "not in the enrichment ledger");
        bad(Run.in(dir, "clear", "--ledger", "trade", "--slot", "trade", "AAPL", "1", "2", "--cause", "c"), 1, "--slot: 'trade' is not a column");
        bad(Run.in(dir, "clear", "--ledger", "trade", "--slot", "trade_ref", "AAPL", "5", "5", "--cause", "c"), 1, "holds no minute");
        bad(Run.in(dir, "clear", "--ledger", "trade", "--slot", "trade_ref", "AAPL", "0", "" + (ClearCommand.MINUTES_MAX + 1), "--cause", "c"), 1, "MINUTES_MAX");
        bad(Run.in(dir, "clear", "--ledger", "trade", "--slot", "trade_ref", "ZZZ", "1", "2", "--cause", "c"), 3, "unknown symbol");
        bad(Run.in(dir, "clear", "--ledger", "trade", "--slot", "trade_ref", "AAPL", "soon", "2", "--cause", "c"), 1, "FROM:");
        bad(Run.in(dir, "clear", "--ledger", "trade", "--slot", "trade_ref", "AAPL", "2025-03-10T09:30", "2027-03-10T09:30", "--cause", "c"), 1, "same year");
        bad(Run.in(dir, "clear", "--ledger", "trade", "--slot", "trade_ref", "AAPL", "1", "2", "--cause", "c", "--operator", "a b"), 1, "--operator");
        assertThat(status(0, M)).isEqualTo(SlotStatus.FILLED);
        assertThat(audit()).isEmpty();
        // The limit itself is accepted (dry run).
        Run max = Run.in(dir, "clear", "--ledger", "trade", "--slot", "trade_ref", "AAPL", "0", "" + ClearCommand.MINUTES_MAX, "--cause", "c");
        assertThat(max.code()).as(max.toString()).isZero();
        assertThat(max.err()).contains("of " + ClearCommand.MINUTES_MAX + " trade_ref slots");
        Run cap = Run.in(dir, "clear", "--ledger", "trade", "--slot", "trade_ref", "AAPL", "1", "2", "--cause", "x".repeat(ClearCommand.CAUSE_BYTES_MAX));
        assertThat(cap.code()).as(cap.toString()).isZero();
    }

    // ------------------------------------------------------------------ regions

    @Test
    void shouldRunARegionThroughItsLifecycleWithAudit() throws Exception {
        Run add = Run.in(dir, "region", "add", "AAPL", "2025-03-10T09:30", "2025-03-10T09:40", "--priority", "50", "--columns", "trade_ref,quote_ref",
                "--operator", "bob", "--json");
        assertThat(add.code()).as(add.toString()).isZero();
        JsonNode r = json(add);
        assertThat(r.get("id").asInt()).isEqualTo(1);
        assertThat(r.get("minutes").asInt()).isEqualTo(10);
        assertThat(r.get("from_minute_idx").asInt()).isEqualTo(M);
        assertThat(r.get("creator").asText()).isEqualTo("bob");
        Run add2 = Run.in(dir, "region", "add", "MSFT", "2025-03-10T13:30:00Z", "2025-03-10T14:30:00Z", "--priority", "900", "--all-columns");
        assertThat(add2.code()).as(add2.toString()).isZero();
        Run list = Run.in(dir, "region", "list", "--json");
        assertThat(list.code()).as(list.toString()).isZero();
        JsonNode l = json(list);
        assertThat(l).hasSize(2);
        assertThat(l.get(0).get("symbol").asText()).as("priority order").isEqualTo("MSFT");
        assertThat(Run.in(dir, "region", "list").lines()).hasSize(3);

        Run st = Run.in(dir, "windows", "status", "--now", "2025-03-10T10:00", "--json");
        assertThat(st.code()).as(st.toString()).isZero();
        JsonNode s = json(st);
        assertThat(s.get("regions").asInt()).isEqualTo(2);
        // trade_ref: AAPL 10 minutes + MSFT 60 minutes, none known done yet.
        assertThat(s.get("columns").get("trade_ref").get("region_backlog").asInt()).isEqualTo(70);
        assertThat(s.get("columns").get("greeks_ref").get("region_backlog").asInt()).isEqualTo(60);

        Run rm = Run.in(dir, "region", "rm", "1", "--operator", "carol");
        assertThat(rm.code()).as(rm.toString()).isZero();
        assertThat(json(Run.in(dir, "region", "list", "--json"))).hasSize(1);
        bad(Run.in(dir, "region", "rm", "1"), 3, "region");
        assertThat(audit()).extracting(Entry::key).containsExactly("region_add", "region_add", "region_rm");
        assertThat(audit().get(2).metadata()).containsEntry("operator", "carol");
    }

    @Test
    void shouldRefuseBadInputToRegionCommands() {
        String[] ok = {"AAPL", "2025-03-10T09:30", "2025-03-10T09:40"};
        bad(Run.in(dir, concat(concat(new String[] {"region", "add"}, ok), "--priority", "0", "--all-columns")), 1, "--priority: 0 is outside 1..1000");
        bad(Run.in(dir, concat(concat(new String[] {"region", "add"}, ok), "--priority", "1001", "--all-columns")), 1, "outside 1..1000");
        bad(Run.in(dir, concat(concat(new String[] {"region", "add"}, ok), "--priority", "high", "--all-columns")), 1, "not a number");
        bad(Run.in(dir, concat(concat(new String[] {"region", "add"}, ok), "--priority", "5")), 1, "exactly one of --columns");
        bad(Run.in(dir, concat(concat(new String[] {"region", "add"}, ok), "--priority", "5", "--all-columns", "--columns", "trade_ref")), 1, "exactly one");
        bad(Run.in(dir, concat(concat(new String[] {"region", "add"}, ok), "--priority", "5", "--columns", "trade_ref,nope")), 1, "'nope' is not a column");
        bad(Run.in(dir, "region", "add", "AAPL", "2025-03-10T09:40", "2025-03-10T09:30", "--priority", "5", "--all-columns"), 1, "");
        bad(Run.in(dir, "region", "add", "AAPL", "monday", "2025-03-10T09:30", "--priority", "5", "--all-columns"), 1, "FROM: 'monday'");
        bad(Run.in(dir, "region", "add", "NOPE", "2025-03-10T09:30", "2025-03-10T09:40", "--priority", "5", "--all-columns"), 3, "unknown symbol");
        bad(Run.in(dir, "region", "rm", "x"), 1, "ID: 'x'");
        bad(Run.in(dir, "region", "rm", "0"), 1, "start at 1");
        bad(Run.in(dir, "region", "list", "--year", "20x5"), 1, "YEAR");
        bad(Run.in(dir, "region"), 1, "name a subcommand");
        assertThat(json0(Run.in(dir, "region", "list", "--json"))).isZero();
        assertThat(audit()).isEmpty();
    }

    private static int json0(Run r) {
        try {
            return json(r).size();
        } catch (Exception e) {
            throw new AssertionError(r.toString(), e);
        }
    }

    // ------------------------------------------------------------------ status

    @Test
    void shouldReportRatiosLagCardinalityAndMappingSizes() throws Exception {
        // At 09:40 New York minutes 17160..17169 of 03-10 have ended (and everything before).
        Run r = Run.in(dir, "windows", "status", "--now", "2025-03-10T09:40", "--json");
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode o = json(r);
        assertThat(o.get("symbols").asInt()).isEqualTo(2);
        assertThat(o.get("symbols_max").asInt()).isEqualTo(10_000);
        assertThat(o.get("ended_minutes").asInt()).isEqualTo(M + 10);
        JsonNode tr = o.get("columns").get("trade_ref");
        assertThat(tr.get("filled").asLong()).isEqualTo(5);
        // Active windows: only symbol 0's session of 03-10 has anything written; its minutes 5..9 are empty.
        assertThat(o.get("active_sessions").asLong()).isEqualTo(1);
        assertThat(tr.get("empty").asLong()).isEqualTo(5);
        // The oldest unfilled active window is M + 5 (09:35-09:36 New York = 13:36Z): 4 minutes before 13:40Z.
        assertThat(tr.get("lag_minutes").asLong()).isEqualTo(4);
        // greeks_ref applies to option symbols only; neither symbol is one.
        assertThat(o.get("columns").get("greeks_ref").get("filled").asLong() + o.get("columns").get("greeks_ref").get("empty").asLong()).isZero();
        JsonNode day = json(Run.in(dir, "windows", "status", "--date", "2025-03-10", "--now", "2025-03-10T09:40", "--json"));
        assertThat(day.get("date").asText()).isEqualTo("2025-03-10");
        assertThat(day.get("ended_minutes").asInt()).isEqualTo(10);
        assertThat(day.get("columns").get("trade_ref").get("lag_minutes").asLong()).isEqualTo(4);
        bad(Run.in(dir, "windows", "status", "--date", "2025-03-09"), 1, "--date 2025-03-09 has no session");
        bad(Run.in(dir, "windows", "status", "--date", "March"), 1, "--date 'March' is not a date");
        assertThat(o.get("columns").size()).isEqualTo(11);
        assertThat(o.get("mapping_files").get("trade.map").asLong()).isPositive();
        Run text = Run.in(dir, "windows", "status", "--now", "2025-03-10T13:40:00Z");
        assertThat(text.code()).as(text.toString()).isZero();
        assertThat(text.out()).contains("year 2025", "2 of 10000 symbols", "trade_ref", "aggs_4h", "trade.map");
        bad(Run.in(dir, "windows", "status", "--now", "noon"), 1, "--now: 'noon'");
        bad(Run.in(dir, "windows", "status", "--year", "3000"), 1, "YEAR");
        bad(Run.in(dir, "windows", "status", "--year", "2024"), 3, "no symbol map for 2024");
        bad(Run.in(dir, "windows"), 1, "name a subcommand (status");
    }

    // ------------------------------------------------------------------ tail

    @Test
    void shouldFollowChangesFromAnotherProcess() throws Exception {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process p = new ProcessBuilder(java, "-ea", "-Xmx128m", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), QuireCli.class.getName(),
                "--dir", dir.toString(), "tail", "--slot", "aggressor_ref", "--symbol", "AAPL", "--count", "3", "--json", "--interval-ms", "20").start();
        try {
            BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
            String ready = err.readLine();
            assertThat(ready).as("tail's start line").startsWith("quire: following aggressor_ref of AAPL");
            try (MappingFiles mf = MappingFiles.open(dir, 2025);
                 TradeLedger t = TradeLedger.open(dir, 2025, CAPACITY, CAL.totalMinutes(), SlotMatrix.Options.defaults())) {
                // Changes of another column and of another symbol must not be printed; the three
                // changes of AAPL's aggressor_ref are one step each, so each is seen exactly once.
                t.markPending(SlotKind.QUOTE_REF, 0, M);
                t.markPending(SlotKind.AGGRESSOR_REF, 1, M);
                assertThat(t.setAggressorRef(0, M + 1, new PayloadMeta(PayloadType.AGGRESSOR, 4, 1, 7, 8)).ok()).isTrue();
                t.markPending(SlotKind.AGGRESSOR_REF, 0, 5);
                t.markPending(SlotKind.AGGRESSOR_REF, 0, 6);
            }
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            List<JsonNode> lines = new ArrayList<>();
            for (String line; (line = out.readLine()) != null; ) lines.add(Json.mapper().readTree(line));
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
            assertThat(lines).hasSize(3);
            for (JsonNode l : lines) {
                assertThat(l.get("symbol").asText()).isEqualTo("AAPL");
                assertThat(l.get("column").asText()).isEqualTo("aggressor_ref");
            }
            assertThat(lines).extracting(l -> l.get("minute_idx").asInt() + " " + l.get("status").asText())
                    .containsExactlyInAnyOrder((M + 1) + " filled", "5 pending", "6 pending");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void shouldRefuseBadInputToTail() {
        bad(Run.in(dir, "tail", "--slot", "aggressor", "--count", "1"), 1, "--slot: 'aggressor' is not a column");
        bad(Run.in(dir, "tail", "--slot", "aggressor_ref", "--count", "0"), 1, "--count: must be at least 1");
        bad(Run.in(dir, "tail", "--slot", "aggressor_ref", "--interval-ms", "5", "--count", "1"), 1, "--interval-ms: 5");
        bad(Run.in(dir, "tail", "--slot", "aggressor_ref", "--symbol", "NOPE", "--count", "1"), 3, "unknown symbol");
        bad(Run.in(dir, "tail", "--slot", "aggressor_ref", "--count", "1"), 1, "SLOTS_MAX");
        bad(Run.in(dir, "tail", "--slot", "aggressor_ref", "--from", "100", "--to", "100", "--count", "1"), 1, "holds no minute");
        bad(Run.in(dir, "tail"), 1, "--slot");
    }

    private SlotStatus status(int sym, int minute) {
        try (TradeLedger t = TradeLedger.open(dir, 2025, CAPACITY, CAL.totalMinutes(), SlotMatrix.Options.defaults())) {
            return t.read(SlotKind.TRADE_REF, sym, minute).status();
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
