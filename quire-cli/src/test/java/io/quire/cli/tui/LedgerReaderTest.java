package io.quire.cli.tui;

import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.slots.PayloadMeta;
import io.quire.windows.slots.PayloadType;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotMatrix;
import io.quire.windows.slots.SlotStatus;
import io.quire.windows.slots.TradeLedger;
import io.quire.core.QuireException;
import io.quire.windows.symbols.SymbolLimits;
import io.quire.windows.symbols.SymbolMap;
import io.quire.windows.symbols.SymbolMapLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        Path copy = tmp.resolve("copy.map");
        for (int cut = all.length - 1; cut > all.length - 12; cut--) {
            Files.write(copy, Arrays.copyOf(all, cut)); // MSFT's record cut short: a write in progress
            assertThat(LedgerReader.readSymbols(copy, 2025)).containsExactly("AAPL", "BRK.B", "O:SPY251112C00675000");
        }
        byte[] flipped = all.clone();
        flipped[flipped.length - 6] ^= 1; // a bit of MSFT's text: its CRC fails, it is not shown
        Files.write(copy, flipped);
        assertThat(LedgerReader.readSymbols(copy, 2025)).hasSize(3);
        assertThat(copy).as("a reader truncates nothing").hasSize(all.length);
    }

    @Test
    void shouldRefuseAMapDamagedBeforeItsLastWrite() throws Exception {
        Path f = SymbolMap.fileIn(tmp, 2025);
        try (SymbolMap m = SymbolMap.open(f, 2025)) {
            // More than one write's worth of records after the first: damage there is not a torn tail.
            for (int batch = 0; batch < 2; batch++) {
                List<String> names = new java.util.ArrayList<>();
                for (int i = 0; i < SymbolLimits.SYMBOLS_PER_BATCH_MAX; i++) names.add(String.format("S%059d", batch * SymbolLimits.SYMBOLS_PER_BATCH_MAX + i)); // 67-byte records
                m.resolveAll(names);
            }
        }
        byte[] b = Files.readAllBytes(f);
        b[SymbolMapLayout.HEADER_BYTES + SymbolMapLayout.REC_OFF_SYMBOL] ^= 1; // a bit of the first symbol's text
        Files.write(f, b);
        assertThatThrownBy(() -> LedgerReader.readSymbols(f, 2025)).isInstanceOf(QuireException.class)
                .hasMessageContaining("corrupt record for symbol_id 0");
        assertThat(f).as("nothing changed").hasBinaryContent(b);
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
