package io.quire.windows.slots;

/** An enrichment-ledger row: each slot a consistent snapshot of its own. */
public record EnrichmentRow(int symbolId, int minuteIdx, SlotView greeksRef, SlotView aggs1m, SlotView aggs5m, SlotView aggs10m,
                            SlotView aggs30m, SlotView aggs1h, SlotView aggs4h) {
    public SlotView slot(SlotKind k) {
        return switch (k) {
            case GREEKS_REF -> greeksRef;
            case AGGS_1M -> aggs1m;
            case AGGS_5M -> aggs5m;
            case AGGS_10M -> aggs10m;
            case AGGS_30M -> aggs30m;
            case AGGS_1H -> aggs1h;
            case AGGS_4H -> aggs4h;
            default -> throw new IllegalArgumentException(k.column() + " is not an enrichment column");
        };
    }

    public SlotView aggs(AggWindow w) { return slot(w.slot()); }
}
