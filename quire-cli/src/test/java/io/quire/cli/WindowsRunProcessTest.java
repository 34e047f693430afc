package io.quire.cli;

import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.slots.EnrichmentLedger;
import io.quire.windows.slots.LedgerKind;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotMatrix;
import io.quire.windows.slots.SlotStatus;
import io.quire.windows.slots.TradeLedger;
import io.quire.windows.symbols.SymbolLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code quire windows run} as a real process: SIGTERM runs the shutdown hook and leaves no slot Pending. */
class WindowsRunProcessTest {
    @TempDir Path tmp;

    @Test
    void shouldStopCleanlyOnSigterm() throws Exception {
        Path ledger = tmp.resolve("ledger.state");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), QuireCli.class.getName(),
                "--dir", ledger.toString(), "windows", "run", "--date", "2025-11-12", "--generate", "9", "--generate-stocks", "4", "--http-port", "-1", "--batch", "64"))
                .redirectError(tmp.resolve("err").toFile()).redirectOutput(tmp.resolve("out").toFile()).start();
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (!(Files.exists(tmp.resolve("err")) && Files.readString(tmp.resolve("err")).contains("symbols, engines"))) {
                assertThat(p.isAlive()).as(Files.readString(tmp.resolve("err"))).isTrue();
                assertThat(System.nanoTime()).as("runner started").isLessThan(end);
                Thread.sleep(50);
            }
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).as(Files.readString(tmp.resolve("err"))).isEqualTo(143);
        TradingCalendar cal = TradingCalendar.nyse(2025);
        var s = cal.sessionOn(LocalDate.of(2025, 11, 12)).orElseThrow();
        long pending = 0;
        try (TradeLedger t = TradeLedger.open(ledger, 2025, SymbolLimits.SYMBOLS_PER_YEAR_MAX, cal.totalMinutes(), SlotMatrix.Options.defaults().withCreate(false));
             EnrichmentLedger e = EnrichmentLedger.open(ledger, 2025, SymbolLimits.SYMBOLS_PER_YEAR_MAX, cal.totalMinutes(), SlotMatrix.Options.defaults().withCreate(false))) {
            assertThat(t.matrix().openReport().scanned()).as("clean close: no repair scan needed").isFalse();
            for (int id = 0; id < 4 * 7; id++) {
                for (int m = s.firstMinuteIdx(); m <= s.lastMinuteIdx(); m++) {
                    for (SlotKind k : SlotKind.values()) {
                        var v = k.ledger() == LedgerKind.TRADE ? t.read(k, id, m) : e.read(k, id, m);
                        if (v.status() == SlotStatus.PENDING) pending++;
                    }
                }
            }
        }
        assertThat(pending).isZero();
    }
}
