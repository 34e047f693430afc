package io.quire.windows.slots;

/** The aggregate windows of the enrichment ledger, anchored to their source minute. */
public enum AggWindow {
    M1(SlotKind.AGGS_1M), M5(SlotKind.AGGS_5M), M10(SlotKind.AGGS_10M), M30(SlotKind.AGGS_30M),
    H1(SlotKind.AGGS_1H), H4(SlotKind.AGGS_4H);

    private final SlotKind slot;

    AggWindow(SlotKind slot) { this.slot = slot; }

    public SlotKind slot() { return slot; }
}
