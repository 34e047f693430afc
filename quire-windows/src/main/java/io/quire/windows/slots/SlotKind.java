package io.quire.windows.slots;

/**
 * The columns of the two ledgers, each with its place in the row and the one payload type it
 * accepts. Trade rows: rf_rate_ref, trade_ref, quote_ref, aggressor_ref. Enrichment rows:
 * greeks_ref, aggs_1m, aggs_5m, aggs_10m, aggs_30m, aggs_1h, aggs_4h.
 */
public enum SlotKind {
    RF_RATE_REF(LedgerKind.TRADE, 0, PayloadType.RF_RATE, "rf_rate_ref"),
    TRADE_REF(LedgerKind.TRADE, 1, PayloadType.TRADE, "trade_ref"),
    QUOTE_REF(LedgerKind.TRADE, 2, PayloadType.QUOTE, "quote_ref"),
    AGGRESSOR_REF(LedgerKind.TRADE, 3, PayloadType.AGGRESSOR, "aggressor_ref"),
    GREEKS_REF(LedgerKind.ENRICHMENT, 0, PayloadType.GREEKS, "greeks_ref"),
    AGGS_1M(LedgerKind.ENRICHMENT, 1, PayloadType.AGGREGATE, "aggs_1m"),
    AGGS_5M(LedgerKind.ENRICHMENT, 2, PayloadType.AGGREGATE, "aggs_5m"),
    AGGS_10M(LedgerKind.ENRICHMENT, 3, PayloadType.AGGREGATE, "aggs_10m"),
    AGGS_30M(LedgerKind.ENRICHMENT, 4, PayloadType.AGGREGATE, "aggs_30m"),
    AGGS_1H(LedgerKind.ENRICHMENT, 5, PayloadType.AGGREGATE, "aggs_1h"),
    AGGS_4H(LedgerKind.ENRICHMENT, 6, PayloadType.AGGREGATE, "aggs_4h");

    private static final SlotKind[] TRADE_SLOTS = {RF_RATE_REF, TRADE_REF, QUOTE_REF, AGGRESSOR_REF};
    private static final SlotKind[] ENRICHMENT_SLOTS = {GREEKS_REF, AGGS_1M, AGGS_5M, AGGS_10M, AGGS_30M, AGGS_1H, AGGS_4H};

    private final LedgerKind ledger;
    private final int index;
    private final PayloadType accepts;
    private final String column;

    SlotKind(LedgerKind ledger, int index, PayloadType accepts, String column) {
        this.ledger = ledger;
        this.index = index;
        this.accepts = accepts;
        this.column = column;
    }

    public LedgerKind ledger() { return ledger; }

    /** Position of the slot in its row (0-based); its byte offset is {@code index * 32}. */
    public int index() { return index; }

    /** The only payload type a setter may store here. */
    public PayloadType accepts() { return accepts; }

    /** {@link #accepts()}'s stored code. */
    int acceptsCode() { return accepts.code(); }

    /** The seed's column name, e.g. {@code aggressor_ref}. */
    public String column() { return column; }

    /** The slots of a ledger's row, in layout order. */
    public static SlotKind[] of(LedgerKind ledger) {
        return (ledger == LedgerKind.TRADE ? TRADE_SLOTS : ENRICHMENT_SLOTS).clone();
    }

    static SlotKind at(LedgerKind ledger, int index) {
        return ledger == LedgerKind.TRADE ? TRADE_SLOTS[index] : ENRICHMENT_SLOTS[index];
    }

    /** The slot named by a column such as {@code trade_ref}, or null. */
    public static SlotKind ofColumn(String column) {
        for (SlotKind k : values()) if (k.column.equals(column)) return k;
        return null;
    }

    static {
        if (TRADE_SLOTS.length != LedgerKind.TRADE.slotsPerRow() || ENRICHMENT_SLOTS.length != LedgerKind.ENRICHMENT.slotsPerRow())
            throw new IllegalStateException("bad math in SlotKind: row widths disagree with LedgerKind");
        for (int i = 0; i < TRADE_SLOTS.length; i++) if (TRADE_SLOTS[i].index != i) throw new IllegalStateException("bad math in SlotKind: trade index " + i);
        for (int i = 0; i < ENRICHMENT_SLOTS.length; i++) if (ENRICHMENT_SLOTS[i].index != i) throw new IllegalStateException("bad math in SlotKind: enrichment index " + i);
    }
}
