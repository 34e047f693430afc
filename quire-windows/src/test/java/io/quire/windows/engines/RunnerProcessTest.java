package io.quire.windows.engines;

import io.quire.windows.calendar.Session;
import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.market.GeneratedMarket;
import io.quire.windows.slots.EnrichmentLedger;
import io.quire.windows.slots.LedgerKind;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotMatrix;
import io.quire.windows.slots.SlotStatus;
import io.quire.windows.slots.SlotView;
import io.quire.windows.slots.TradeLedger;
import io.quire.windows.symbols.SymbolLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runner as a real child process: {@code kill -9} in the middle of the day and a restart
 * (it continues; nothing Filled is lost; the Pending claims the dead process left are re-done),
 * and SIGTERM (the shutdown hook leaves no slot Pending).
 */
class RunnerProcessTest {
    @TempDir Path tmp;

    static final int SYMBOLS = 49;

    @Test
    void shouldContinueAfterKill9WithoutLosingFilledSlotsAndRedoStalePending() throws Exception {
        GeneratedMarket m = RunnerEndToEndTest.generate(tmp.resolve("flat"), 11);
        Path ledger = tmp.resolve("ledger.state");
        Process p = start(m, ledger, 400, false);
        Map<String, SlotView> before;
        List<String> pendingBefore;
        try {
            awaitPending(ledger, p, SlotKind.AGGRESSOR_REF);
        } finally {
            p.destroyForcibly(); // SIGKILL
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        before = snapshot(ledger);
        pendingBefore = before.entrySet().stream().filter(e -> e.getValue().status() == SlotStatus.PENDING).map(Map.Entry::getKey).toList();
        long filledBefore = before.values().stream().filter(v -> v.status() == SlotStatus.FILLED).count();
        System.out.printf("after kill -9: %,d filled, %d pending%n", filledBefore, pendingBefore.size());
        assertThat(pendingBefore).as("the dead runner held claims").isNotEmpty();
        assertThat(filledBefore).isPositive();

        Process again = start(m, ledger, 0, true);
        assertThat(again.waitFor(240, TimeUnit.SECONDS)).as("restarted runner finished").isTrue();
        assertThat(again.exitValue()).as(Files.readString(tmp.resolve("child.err"))).isZero();

        Map<String, SlotView> after = snapshot(ledger);
        for (var e : before.entrySet()) {
            if (e.getValue().status() != SlotStatus.FILLED) continue;
            SlotView a = after.get(e.getKey());
            assertThat(a.status()).as(e.getKey()).isEqualTo(SlotStatus.FILLED);
            assertThat(a.payloadId()).as(e.getKey() + " payload kept").isEqualTo(e.getValue().payloadId());
            assertThat(a.version()).isEqualTo(e.getValue().version());
        }
        for (String k : pendingBefore) assertThat(after.get(k).status()).as(k + " re-done").isIn(SlotStatus.FILLED, SlotStatus.EMPTY);
        EngineTestSupport.verifyComplete(ledger, m);
    }

    @Test
    void shouldLeaveNoSlotPendingOnSigterm() throws Exception {
        GeneratedMarket m = RunnerEndToEndTest.generate(tmp.resolve("flat"), 12);
        Path ledger = tmp.resolve("ledger.state");
        Process p = start(m, ledger, 400, false);
        try {
            awaitPending(ledger, p, SlotKind.AGGRESSOR_REF);
            p.destroy(); // SIGTERM: the shutdown hook closes the runner
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("runner stopped on SIGTERM").isTrue();
        } finally {
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).isEqualTo(143); // 128 + SIGTERM, after the hooks ran
        Map<String, SlotView> after = snapshot(ledger);
        assertThat(after.values().stream().filter(v -> v.status() == SlotStatus.PENDING).toList()).isEmpty();
        assertThat(after.values().stream().filter(v -> v.status() == SlotStatus.FILLED).count()).isPositive();
        // and the next run completes the day from there
        Process again = start(m, ledger, 0, true);
        assertThat(again.waitFor(240, TimeUnit.SECONDS)).isTrue();
        assertThat(again.exitValue()).as(Files.readString(tmp.resolve("child.err"))).isZero();
        EngineTestSupport.verifyComplete(ledger, m);
    }

    private Process start(GeneratedMarket m, Path ledger, long holdMs, boolean exitWhenIdle) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "-ea", "-Xmx256m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), RunnerChild.class.getName(), ledger.toString(), tmp.resolve("flat").toString(),
                m.file(GeneratedMarket.Kind.TREASURY).path().toString(), m.date().toString(), Long.toString(holdMs), "256", Boolean.toString(exitWhenIdle)));
        return new ProcessBuilder(cmd).redirectError(tmp.resolve("child.err").toFile()).redirectOutput(tmp.resolve("child.out").toFile()).start();
    }

    /** Waits (generously, on a condition, not a time) until the child holds a Pending claim in {@code column}. */
    private void awaitPending(Path ledger, Process p, SlotKind column) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < end) {
            assertThat(p.isAlive()).as("child alive: " + (Files.exists(tmp.resolve("child.err")) ? Files.readString(tmp.resolve("child.err")) : "")).isTrue();
            if (Files.exists(SlotMatrix.pathFor(ledger, 2025, LedgerKind.ENRICHMENT))) {
                long n = snapshot(ledger).values().stream().filter(v -> v.slot() == column && v.status() == SlotStatus.PENDING).count();
                if (n > 0) return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the child never held a Pending " + column.column());
    }

    /** Every slot of the 49 symbols (ids 0..48) over the session, read through this process's own session of the files. */
    static Map<String, SlotView> snapshot(Path ledger) {
        TradingCalendar cal = TradingCalendar.nyse(2025);
        Session s = cal.sessionOn(RunnerEndToEndTest.DAY).orElseThrow();
        Map<String, SlotView> out = new HashMap<>();
        try (TradeLedger t = TradeLedger.open(ledger, 2025, SymbolLimits.SYMBOLS_PER_YEAR_MAX, cal.totalMinutes(), SlotMatrix.Options.defaults().withCreate(false));
             EnrichmentLedger e = EnrichmentLedger.open(ledger, 2025, SymbolLimits.SYMBOLS_PER_YEAR_MAX, cal.totalMinutes(), SlotMatrix.Options.defaults().withCreate(false))) {
            for (int id = 0; id < SYMBOLS; id++) {
                for (int mi = s.firstMinuteIdx(); mi <= s.lastMinuteIdx(); mi++) {
                    for (SlotKind k : SlotKind.values()) {
                        SlotView v = k.ledger() == LedgerKind.TRADE ? t.read(k, id, mi) : e.read(k, id, mi);
                        out.put(id + "/" + mi + "/" + k.column(), v);
                    }
                }
            }
        }
        return out;
    }
}
