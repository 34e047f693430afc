package io.quire.windows.engines;

import io.quire.windows.mapping.AggregatePayload;
import io.quire.windows.mapping.GreeksPayload;
import io.quire.windows.market.GeneratedMarket;
import io.quire.windows.market.GeneratorSpec;
import io.quire.windows.market.MarketGenerator;
import io.quire.windows.slots.AggWindow;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotStatus;
import io.quire.windows.slots.SlotView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Priority regions from another process, treasury revisions, and supervision of engines that throw. */
class EngineBehaviourTest {
    @TempDir Path tmp;

    static final LocalDate DAY = RunnerEndToEndTest.DAY;

    private GeneratedMarket small(long seed) {
        return MarketGenerator.generate(tmp.resolve("flat"), GeneratorSpec.defaults(DAY, seed, 2).withRates(12, 4, 1, 0.3).withChain(1, 1));
    }

    private Runner.Config config(GeneratedMarket m, Path treasury) {
        return Runner.Config.of(tmp.resolve("ledger.state"), DAY, List.of(), tmp.resolve("flat"), List.of(treasury));
    }

    @Test
    void shouldWorkARegionFromAnotherProcessBeforeTheDefaultQueue() throws Exception {
        GeneratedMarket m = small(21);
        Path treasury = m.file(GeneratedMarket.Kind.TREASURY).path();
        try (Runner r = Runner.open(config(m, treasury).withEngines(Set.of("treasury", "ingest")))) {
            r.start();
            assertThat(r.awaitIdle(Duration.ofMinutes(3))).isTrue();
        }
        // The aggressor backlog is the whole day (14 symbols x 390 minutes). Another process asks for
        // symbol 1 (the second stock), 11:00-12:00 New York, before the runner starts working.
        var cal = io.quire.windows.calendar.TradingCalendar.nyse(2025);
        var session = cal.sessionOn(DAY).orElseThrow();
        int from = session.firstMinuteIdx() + 90, to = from + 60;
        try (Runner r = Runner.open(config(m, treasury).withEngines(Set.of("aggressor")).withBatch(100))) {
            String ticker = m.stocks().get(1);
            int id = r.context().symbols().idOf(ticker).orElseThrow();
            String java = ProcessHandle.current().info().command().orElseThrow();
            Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), RegionAddChild.class.getName(), tmp.resolve("ledger.state").toString(),
                    "2025", ticker, Integer.toString(id), cal.minuteStart(from).toString(), cal.minuteStart(to).toString(), "50", "aggressor_ref")
                    .redirectErrorStream(true).start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();

            ConcurrentLinkedQueue<long[]> order = new ConcurrentLinkedQueue<>();
            ((WindowEngine) r.engine("aggressor")).setWriteListener((e, s, mi, c, region) -> order.add(new long[] {s, mi, region ? 1 : 0}));
            r.start();
            assertThat(r.awaitIdle(Duration.ofMinutes(3))).isTrue();
            List<long[]> seen = new ArrayList<>(order);
            assertThat(seen).hasSize(14 * 390);
            for (int i = 0; i < 60; i++) {
                assertThat(seen.get(i)[0]).as("write %d", i).isEqualTo(id);
                assertThat(seen.get(i)[1]).as("write %d", i).isEqualTo(from + i); // in minute order within the region
                assertThat(seen.get(i)[2]).isEqualTo(1);
            }
            assertThat(seen.subList(60, seen.size())).allSatisfy(w -> assertThat(w[2]).isZero());
            assertThat(seen.get(60)[1]).isEqualTo(session.firstMinuteIdx()); // then the default queue from the open
            assertThat(r.engine("aggressor").stats().regionWindows.get()).isEqualTo(60);
            assertThat(r.context().regions().list()).as("the region retired").isEmpty();
        }
        // The retirement reached the audit trail (drained into windows/audit when the runner closed).
        try (io.quire.core.Ledger core = io.quire.core.Ledger.open(tmp.resolve("ledger.state"))) {
            var retired = core.read(io.quire.windows.audit.AuditLimits.STREAM, 0, 0, null).stream()
                    .filter(x -> x.key().equals("region_retired")).map(x -> new String(x.payload(), java.nio.charset.StandardCharsets.UTF_8)).toList();
            assertThat(retired).hasSize(1);
            assertThat(retired.getFirst()).contains("\"symbol\":\"" + m.stocks().get(1) + "\"", "\"priority\":50", "\"columns\":[\"aggressor_ref\"]");
        }
    }

    @Test
    void shouldRerunExactlyTheGreeksATreasuryRevisionAffects() throws Exception {
        GeneratedMarket m = small(22);
        Path treasury = tmp.resolve("par-yield.csv");
        Files.copy(m.file(GeneratedMarket.Kind.TREASURY).path(), treasury);
        try (Runner r = Runner.open(config(m, treasury))) {
            r.start();
            assertThat(r.awaitIdle(Duration.ofMinutes(3))).isTrue();
            var ctx = r.context();
            Engine greeks = r.engine("greeks");
            long computed = greeks.stats().windowsProcessed.get();
            assertThat(computed).isEqualTo(12L * 390);
            Map<String, SlotView> before = slots(ctx);

            // 1. Revise a curve whose validity lies before this session: stored as version 2, no Greeks rerun.
            List<String> lines = new ArrayList<>(Files.readAllLines(treasury));
            long rfBefore = ctx.maps().rfRate().count();
            lines.set(6, bump(lines.get(6)));
            Files.write(treasury, lines);
            awaitCount(() -> ctx.maps().rfRate().count() > rfBefore);
            assertThat(r.awaitIdle(Duration.ofMinutes(3))).isTrue();
            assertThat(greeks.stats().recomputed.get()).isZero();
            assertThat(slots(ctx)).isEqualTo(before);

            // 2. Revise the curve in effect during the session (dated the previous weekday, line 3):
            //    every rf_rate_ref of the session goes to version 2, and exactly the option Greeks rerun.
            long rf2 = ctx.maps().rfRate().count();
            lines.set(2, bump(lines.get(2)));
            Files.write(treasury, lines);
            awaitCount(() -> ctx.maps().rfRate().count() > rf2);
            awaitCount(() -> greeks.stats().recomputed.get() == 12L * 390);
            assertThat(r.awaitIdle(Duration.ofMinutes(3))).isTrue();
            assertThat(greeks.stats().recomputed.get()).isEqualTo(12L * 390);
            assertThat(greeks.stats().windowsProcessed.get()).isEqualTo(2 * 12L * 390);
            Map<String, SlotView> after = slots(ctx);
            for (var e : after.entrySet()) {
                SlotView a = e.getValue(), b = before.get(e.getKey());
                boolean option = ctx.universe().byId(a.symbolId()).isOption();
                if (a.slot() == SlotKind.RF_RATE_REF) {
                    assertThat(a.version()).isEqualTo(2);
                } else if (a.slot() == SlotKind.GREEKS_REF && option) {
                    assertThat(a.version()).isEqualTo(2);
                    assertThat(a.payloadId()).isNotEqualTo(b.payloadId());
                    GreeksPayload g = (GreeksPayload) ctx.maps().dereference(a.meta());
                    GreeksPayload old = (GreeksPayload) ctx.maps().dereference(b.meta());
                    assertThat(g.rfRateVersion()).isEqualTo(2);
                    assertThat(g.rate()).isGreaterThan(old.rate());
                } else {
                    assertThat(a).as("untouched " + e.getKey()).isEqualTo(b);
                }
            }
        }
        // Both revisions are in the audit trail (drained into windows/audit when the runner closed).
        Path ledger = tmp.resolve("ledger.state");
        try (io.quire.core.Ledger core = io.quire.core.Ledger.open(ledger)) {
            var revisions = core.read(io.quire.windows.audit.AuditLimits.STREAM, 0, 0, null).stream()
                    .filter(x -> x.key().equals("treasury_revision")).map(x -> new String(x.payload(), java.nio.charset.StandardCharsets.UTF_8)).toList();
            assertThat(revisions).hasSize(2);
            assertThat(revisions).allSatisfy(j -> assertThat(j).contains("\"version\":2").contains("\"curve_id\":\"UST-PAR-"));
        }
    }

    @Test
    void shouldRestartAnEngineThatThrowsAndReleaseItsClaims() throws Exception {
        GeneratedMarket m = small(23);
        try (Runner r = Runner.open(config(m, m.file(GeneratedMarket.Kind.TREASURY).path()).withEngines(Set.of("treasury", "ingest")))) {
            AtomicInteger failures = new AtomicInteger(3);
            Flaky flaky = new Flaky(r.context(), failures);
            r.add(flaky);
            r.start();
            assertThat(r.awaitIdle(Duration.ofMinutes(3))).isTrue();
            assertThat(r.restarts("flaky")).isEqualTo(3);
            assertThat(r.restarts("ingest")).isZero();
            assertThat(flaky.stats().released.get()).as("claims of the failed steps given back").isEqualTo(3L * 390);
            var s = r.context().session();
            for (int mi = s.firstMinuteIdx(); mi <= s.lastMinuteIdx(); mi++) {
                assertThat(r.context().enrichment().read(SlotKind.AGGS_1M, 0, mi).status()).isEqualTo(SlotStatus.FILLED);
            }
        }
    }

    /** Writes aggs_1m of symbol 0 (a fixed bar), throwing after claiming in its first {@code failures} steps. */
    static final class Flaky extends WindowEngine {
        private final AtomicInteger failures;

        Flaky(EngineContext ctx, AtomicInteger failures) {
            super(ctx, "flaky", SlotKind.AGGS_1M, 390);
            this.failures = failures;
        }

        @Override protected void prepareScan() {}

        @Override
        protected List<SlotKind> plan(int s, int mi) {
            if (s != 0) return List.of();
            return ctx.enrichment().read(SlotKind.AGGS_1M, s, mi).status() == SlotStatus.FILLED ? List.of() : List.of(SlotKind.AGGS_1M);
        }

        @Override
        protected List<Write> compute(List<Claim> claims) {
            for (Claim c : claims) assertThat(ctx.enrichment().read(SlotKind.AGGS_1M, c.symbolId(), c.minuteIdx()).status()).isEqualTo(SlotStatus.PENDING);
            if (failures.getAndDecrement() > 0) throw new IllegalStateException("injected failure");
            List<Write> out = new ArrayList<>();
            for (Claim c : claims) out.add(new Write(c, new AggregatePayload(AggWindow.M1, ctx.minuteStartNs(c.minuteIdx()), 1, 1, 1, 1, 1, 1, 1), 1));
            return out;
        }
    }

    private static String bump(String csvLine) {
        String[] f = csvLine.split(",", -1);
        for (int i = 1; i < f.length; i++) {
            if (f[i].isBlank()) continue;
            f[i] = new java.math.BigDecimal(f[i].replace("\"", "")).add(new java.math.BigDecimal("0.50")).toPlainString();
        }
        return String.join(",", f);
    }

    private static void awaitCount(BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("condition not reached within 3 minutes");
            Thread.sleep(20);
        }
    }

    private static Map<String, SlotView> slots(EngineContext ctx) {
        Map<String, SlotView> out = new HashMap<>();
        var s = ctx.session();
        for (Universe.Member u : ctx.universe().members()) {
            for (int mi = s.firstMinuteIdx(); mi <= s.lastMinuteIdx(); mi++) {
                for (SlotKind k : SlotKind.values()) {
                    SlotView v = ctx.ledger(k).read(k, u.symbolId(), mi);
                    // last_updated_ns and seq change on any rewrite; compare what a reader relies on.
                    out.put(u.symbolId() + "/" + mi + "/" + k.column(), new SlotView(v.slot(), v.symbolId(), v.minuteIdx(), v.status(), v.payloadType(), v.payloadId(), v.version(), v.checksum(), 0, 0));
                }
            }
        }
        return out;
    }
}
