package io.quire.cli.tui;

import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.slots.PayloadMeta;
import io.quire.windows.slots.PayloadType;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotMatrix;
import io.quire.windows.slots.SlotStatus;
import io.quire.windows.slots.TradeLedger;
import io.quire.windows.symbols.SymbolMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading symbols and slots while the writer keeps them open (the TUI's situation). */
class LedgerReaderTest {
    @TempDir Path tmp;

    @Test
    void shouldReadSymbolsWhileTheMapIsLockedAndStopAtATornRecord() throws Exception {
        Path f = SymbolMap.fileIn(tmp, 2025);
        try (SymbolMap m = SymbolMap.open(f, 2025)) {
            m.resolveAll(List.of("AAPL", "BRK.B", "O:SPY251112C00675000"));
            // The writer holds its exclusive lock; the reader reads anyway and sees all three.
            try (LedgerReader r = new LedgerReader(tmp, 2025, TradingCalendar.nyse(2025).totalMinutes())) {
                assertThat(r.symbolCount()).isEqualTo(3);
                assertThat(r.symbol(2)).isEqualTo("O:SPY251112C00675000");
                assertThat(r.idOf("BRK.B")).isEqualTo(1);
                m.resolve("MSFT");
                r.refresh();
                assertThat(r.idOf("MSFT")).isEqualTo(3);
            }
        }
        byte[] all = Files.readAllBytes(f);
        for (int cut = all.length - 1; cut > all.length - 12; cut--)
            assertThat(LedgerReader.readSymbols(Arrays.copyOf(all, cut), 2025)).containsExactly("AAPL", "BRK.B", "O:SPY251112C00675000");
        byte[] flipped = all.clone();
        flipped[flipped.length - 6] ^= 1; // a bit of MSFT's text: its CRC fails, it is not shown
        assertThat(LedgerReader.readSymbols(flipped, 2025)).hasSize(3);
        assertThat(LedgerReader.readSymbols(all, 2026)).isEmpty(); // another year's file
    }

    @Test
    void shouldSeeSlotsAWriterStoresAndReadMissingFilesAsEmpty() {
        int minutes = TradingCalendar.nyse(2025).totalMinutes();
        try (SymbolMap m = SymbolMap.open(SymbolMap.fileIn(tmp, 2025), 2025)) {
            m.resolve("AAPL");
        }
        byte[] out = new byte[3];
        try (LedgerReader r = new LedgerReader(tmp, 2025, minutes)) { // no slot files yet
            r.statuses(SlotKind.TRADE_REF, 0, 0, 3, out);
            assertThat(out).containsOnly((byte) SlotStatus.EMPTY.code());
        }
        // One JVM may open a slot file once (POSIX locks are per process), so the writer closes
        // before the reader opens here; WindowsTuiIT covers a live writer in another process.
        try (TradeLedger w = TradeLedger.open(tmp, 2025, 8, minutes, SlotMatrix.Options.defaults())) {
            w.setTradeRef(0, 1, new PayloadMeta(PayloadType.TRADE, 1, 1, 1, 1));
            w.markPending(SlotKind.TRADE_REF, 0, 2);
        }
        try (LedgerReader r = new LedgerReader(tmp, 2025, minutes)) {
            r.statuses(SlotKind.TRADE_REF, 0, 0, 3, out);
            assertThat(out).containsExactly(SlotStatus.EMPTY.code(), SlotStatus.FILLED.code(), SlotStatus.PENDING.code());
            r.statuses(SlotKind.GREEKS_REF, 0, 0, 3, out); // no enrichment file: all Empty
            assertThat(out).containsOnly((byte) SlotStatus.EMPTY.code());
            assertThat(Files.exists(SlotMatrix.pathFor(tmp, 2025, io.quire.windows.slots.LedgerKind.ENRICHMENT))).isFalse();
        }
    }
}
