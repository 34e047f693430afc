package io.quire.windows.slots;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The enrichment ledger of one year: greeks_ref and aggs_1m…aggs_4h per (symbol, minute), with
 * the same rules as {@link TradeLedger}.
 */
public final class EnrichmentLedger extends SlotLedger {
    public EnrichmentLedger(SlotMatrix matrix) { super(matrix, LedgerKind.ENRICHMENT); }

    /** Opens (creating when missing) {@code <root>/windows/<year>/enrichment.slots}. */
    public static EnrichmentLedger open(Path root, int year, int symbolsCapacity, int minutes, SlotMatrix.Options options) {
        return new EnrichmentLedger(SlotMatrix.open(SlotMatrix.pathFor(root, year, LedgerKind.ENRICHMENT), LedgerKind.ENRICHMENT, year, symbolsCapacity, minutes, options));
    }

    public SetResult setGreeksRef(int symbolId, int minuteIdx, PayloadMeta meta) { return set(SlotKind.GREEKS_REF, symbolId, minuteIdx, meta, Transitions.NO_EXPECTED); }

    public SetResult setGreeksRef(int symbolId, int minuteIdx, PayloadMeta meta, long expectedVersion) { return set(SlotKind.GREEKS_REF, symbolId, minuteIdx, meta, expectedVersion); }

    public SetResult setAggsRef(AggWindow window, int symbolId, int minuteIdx, PayloadMeta meta) {
        return set(Objects.requireNonNull(window, "window").slot(), symbolId, minuteIdx, meta, Transitions.NO_EXPECTED);
    }

    public SetResult setAggsRef(AggWindow window, int symbolId, int minuteIdx, PayloadMeta meta, long expectedVersion) {
        return set(Objects.requireNonNull(window, "window").slot(), symbolId, minuteIdx, meta, expectedVersion);
    }

    /** The row's seven slots, each a consistent snapshot. */
    public EnrichmentRow getEnrichmentRow(int symbolId, int minuteIdx) {
        RowCursor c = row(symbolId, minuteIdx);
        return new EnrichmentRow(symbolId, minuteIdx, c.view(SlotKind.GREEKS_REF), c.view(SlotKind.AGGS_1M), c.view(SlotKind.AGGS_5M),
                c.view(SlotKind.AGGS_10M), c.view(SlotKind.AGGS_30M), c.view(SlotKind.AGGS_1H), c.view(SlotKind.AGGS_4H));
    }
}
