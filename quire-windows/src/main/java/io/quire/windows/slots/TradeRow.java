package io.quire.windows.slots;

/** A trade-ledger row: each slot a consistent snapshot of its own. */
public record TradeRow(int symbolId, int minuteIdx, SlotView rfRateRef, SlotView tradeRef, SlotView quoteRef, SlotView aggressorRef) {
    public SlotView slot(SlotKind k) {
        return switch (k) {
            case RF_RATE_REF -> rfRateRef;
            case TRADE_REF -> tradeRef;
            case QUOTE_REF -> quoteRef;
            case AGGRESSOR_REF -> aggressorRef;
            default -> throw new IllegalArgumentException(k.column() + " is not a trade column");
        };
    }
}
