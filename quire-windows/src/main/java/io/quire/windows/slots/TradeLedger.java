package io.quire.windows.slots;

import java.nio.file.Path;

/**
 * The trade ledger of one year: rf_rate_ref, trade_ref, quote_ref, aggressor_ref per
 * (symbol, minute). Setters enforce the column's payload type and the transition table of
 * {@link Transitions}; the overloads with {@code expectedVersion} are compare-and-swap on the
 * slot's version. Refusals are {@link SetResult.Conflict} values.
 */
public final class TradeLedger extends SlotLedger {
    public TradeLedger(SlotMatrix matrix) { super(matrix, LedgerKind.TRADE); }

    /** Opens (creating when missing) {@code <root>/windows/<year>/trade.slots}. */
    public static TradeLedger open(Path root, int year, int symbolsCapacity, int minutes, SlotMatrix.Options options) {
        return new TradeLedger(SlotMatrix.open(SlotMatrix.pathFor(root, year, LedgerKind.TRADE), LedgerKind.TRADE, year, symbolsCapacity, minutes, options));
    }

    public SetResult setRfRateRef(int symbolId, int minuteIdx, PayloadMeta meta) { return set(SlotKind.RF_RATE_REF, symbolId, minuteIdx, meta, Transitions.NO_EXPECTED); }

    public SetResult setRfRateRef(int symbolId, int minuteIdx, PayloadMeta meta, long expectedVersion) { return set(SlotKind.RF_RATE_REF, symbolId, minuteIdx, meta, expectedVersion); }

    public SetResult setTradeRef(int symbolId, int minuteIdx, PayloadMeta meta) { return set(SlotKind.TRADE_REF, symbolId, minuteIdx, meta, Transitions.NO_EXPECTED); }

    public SetResult setTradeRef(int symbolId, int minuteIdx, PayloadMeta meta, long expectedVersion) { return set(SlotKind.TRADE_REF, symbolId, minuteIdx, meta, expectedVersion); }

    public SetResult setQuoteRef(int symbolId, int minuteIdx, PayloadMeta meta) { return set(SlotKind.QUOTE_REF, symbolId, minuteIdx, meta, Transitions.NO_EXPECTED); }

    public SetResult setQuoteRef(int symbolId, int minuteIdx, PayloadMeta meta, long expectedVersion) { return set(SlotKind.QUOTE_REF, symbolId, minuteIdx, meta, expectedVersion); }

    public SetResult setAggressorRef(int symbolId, int minuteIdx, PayloadMeta meta) { return set(SlotKind.AGGRESSOR_REF, symbolId, minuteIdx, meta, Transitions.NO_EXPECTED); }

    public SetResult setAggressorRef(int symbolId, int minuteIdx, PayloadMeta meta, long expectedVersion) { return set(SlotKind.AGGRESSOR_REF, symbolId, minuteIdx, meta, expectedVersion); }

    /** The row's four slots, each a consistent snapshot. */
    public TradeRow getTradeRow(int symbolId, int minuteIdx) {
        RowCursor c = row(symbolId, minuteIdx);
        return new TradeRow(symbolId, minuteIdx, c.view(SlotKind.RF_RATE_REF), c.view(SlotKind.TRADE_REF), c.view(SlotKind.QUOTE_REF), c.view(SlotKind.AGGRESSOR_REF));
    }
}
