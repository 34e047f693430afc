package io.quire.cli.tui;

import io.quire.windows.slots.EnrichmentLedger;
import io.quire.windows.slots.LedgerKind;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotLayout;
import io.quire.windows.slots.SlotLedger;
import io.quire.windows.slots.SlotMatrix;
import io.quire.windows.slots.SlotStatus;
import io.quire.windows.slots.TradeLedger;
import io.quire.windows.symbols.SymbolMap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The TUI's read-only view of one year of the windows ledger, beside a writer in another process.
 *
 * <ul>
 *   <li><b>Symbols</b>: {@code symbols.map} is read with {@link SymbolMap#openReadOnly}, which
 *       takes no lock (a running {@link SymbolMap} holds an exclusive one for its life) and leaves
 *       out the torn or in-progress tail of the last write: it is simply not shown yet.
 *       {@link #refresh()} re-reads when the file grew.</li>
 *   <li><b>Slots</b>: each slot file is opened with {@code create=false} through
 *       {@link SlotMatrix}, the documented way a second process joins (a shared lock on the open
 *       byte and a session byte of its own; writers keep working). The TUI only calls
 *       {@code iterSymbol}, which reads with the seqlock protocol, and never a setter. A file that
 *       does not exist yet reads as all Empty and is retried on every refresh. As with any
 *       opener, the first opener after an unclean shutdown runs the crash repair of
 *       docs/WINDOWS.md ("Sessions and crash repair").</li>
 * </ul>
 */
public final class LedgerReader implements StatusSource, AutoCloseable {
    private final Path ledgerDir;
    private final int year;
    private final int minutes;
    private List<String> symbols = List.of();
    private long symbolsBytes = -1;
    private SlotLedger trade, enrichment;

    public LedgerReader(Path ledgerDir, int year, int minutes) {
        this.ledgerDir = ledgerDir;
        this.year = year;
        this.minutes = minutes;
        refresh();
    }

    /** Re-reads the symbol list if the file changed and opens slot files that appeared. */
    public synchronized void refresh() {
        Path f = SymbolMap.fileIn(ledgerDir, year);
        try {
            long size = Files.exists(f) ? Files.size(f) : 0;
            if (size != symbolsBytes) {
                symbols = size == 0 ? List.of() : readSymbols(f, year);
                symbolsBytes = size;
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
        if (trade == null) trade = openIfPresent(LedgerKind.TRADE);
        if (enrichment == null) enrichment = openIfPresent(LedgerKind.ENRICHMENT);
    }

    /**
     * The symbols of {@code f} as {@link SymbolMap#openReadOnly} decodes them (no lock, the torn
     * or in-progress tail of the last write left out): the map's own decoder, so the TUI never
     * parses the layout itself. A damaged map is INTEGRITY, as for every other reader.
     */
    static List<String> readSymbols(Path f, int year) {
        try (SymbolMap m = SymbolMap.openReadOnly(f, year)) {
            return m.symbols();
        }
    }

    private SlotLedger openIfPresent(LedgerKind kind) {
        Path f = SlotMatrix.pathFor(ledgerDir, year, kind);
        if (!Files.exists(f)) return null;
        int capacity;
        try {
            byte[] h = new byte[SlotLayout.HDR_MINUTES_32 + 4];
            try (var in = Files.newInputStream(f)) {
                if (in.readNBytes(h, 0, h.length) < h.length) return null; // still being created
            }
            capacity = ByteBuffer.wrap(h).order(SlotLayout.ORDER).getInt(SlotLayout.HDR_SYMBOLS_32);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the header of " + f + ": " + e.getMessage(), e);
        }
        SlotMatrix.Options o = SlotMatrix.Options.defaults().withCreate(false);
        return kind == LedgerKind.TRADE ? TradeLedger.open(ledgerDir, year, capacity, minutes, o)
                : EnrichmentLedger.open(ledgerDir, year, capacity, minutes, o);
    }

    @Override public synchronized int symbolCount() { return symbols.size(); }

    @Override public synchronized String symbol(int symbolId) { return symbols.get(symbolId); }

    /** The id of a symbol, or -1. */
    public synchronized int idOf(String symbol) { return symbols.indexOf(symbol); }

    @Override
    public void statuses(SlotKind column, int symbolId, int fromMinute, int toMinute, byte[] out) {
        SlotLedger l = column.ledger() == LedgerKind.TRADE ? trade : enrichment;
        Arrays.fill(out, 0, toMinute - fromMinute, (byte) SlotStatus.EMPTY.code());
        if (l == null || symbolId >= l.matrix().symbolsCapacity() || toMinute <= fromMinute) return;
        l.iterSymbol(symbolId, fromMinute, toMinute, row -> {
            out[row.minuteIdx() - fromMinute] = (byte) row.status(column).code();
            return true;
        });
    }

    @Override
    public synchronized void close() {
        try {
            if (trade != null) trade.close();
        } finally {
            if (enrichment != null) enrichment.close();
        }
    }
}
