package io.quire.cli.tui;

import io.quire.windows.slots.EnrichmentLedger;
import io.quire.windows.slots.LedgerKind;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotLayout;
import io.quire.windows.slots.SlotLedger;
import io.quire.windows.slots.SlotMatrix;
import io.quire.windows.slots.SlotStatus;
import io.quire.windows.slots.TradeLedger;
import io.quire.windows.symbols.SymbolLimits;
import io.quire.windows.symbols.SymbolMap;
import io.quire.windows.symbols.SymbolMapLayout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The TUI's read-only view of one year of the windows ledger, beside a writer in another process.
 *
 * <ul>
 *   <li><b>Symbols</b>: {@code symbols.map} is read as bytes with no lock (a running
 *       {@link SymbolMap} holds an exclusive lock for its life, so opening it would be refused).
 *       Records are decoded in order up to the first incomplete or bad one, which is a write in
 *       progress or a torn tail: it is simply not shown yet. {@link #refresh()} re-reads when the
 *       file grew.</li>
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
                symbols = size == 0 ? List.of() : readSymbols(Files.readAllBytes(f), year);
                symbolsBytes = size;
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
        if (trade == null) trade = openIfPresent(LedgerKind.TRADE);
        if (enrichment == null) enrichment = openIfPresent(LedgerKind.ENRICHMENT);
    }

    /** Decodes the valid prefix of a {@code symbols.map} image (see docs/WINDOWS.md, format version 1). */
    static List<String> readSymbols(byte[] b, int year) {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (b.length < SymbolMapLayout.HEADER_BYTES || buf.getInt(SymbolMapLayout.OFF_MAGIC_32) != SymbolMapLayout.MAGIC
                || (buf.getShort(SymbolMapLayout.OFF_YEAR_16) & 0xFFFF) != year) return List.of();
        List<String> out = new ArrayList<>();
        int off = SymbolMapLayout.HEADER_BYTES;
        while (off + SymbolMapLayout.REC_OFF_SYMBOL <= b.length && out.size() < SymbolLimits.SYMBOLS_PER_YEAR_MAX) {
            int id = buf.getShort(off + SymbolMapLayout.REC_OFF_ID_16) & 0xFFFF;
            int n = b[off + SymbolMapLayout.REC_OFF_LEN_8] & 0xFF;
            int end = off + SymbolMapLayout.REC_OFF_SYMBOL + n + 4;
            if (n < 1 || n > SymbolLimits.SYMBOL_BYTES_MAX || end > b.length || id != out.size()) break;
            CRC32C c = new CRC32C();
            c.update(b, off, SymbolMapLayout.REC_OFF_SYMBOL + n);
            if ((int) c.getValue() != buf.getInt(end - 4)) break;
            out.add(new String(b, off + SymbolMapLayout.REC_OFF_SYMBOL, n, StandardCharsets.US_ASCII));
            off = end;
        }
        return List.copyOf(out);
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
