package io.quire.windows.treasury;

import io.quire.windows.slots.EnrichmentRow;
import io.quire.windows.slots.LedgerKind;
import io.quire.windows.slots.RowCursor;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotStatus;
import io.quire.windows.slots.SlotView;
import io.quire.windows.slots.TradeRow;

/**
 * The seed's rule: Greeks rerun a minute when {@code rf_rate_ref.version != greeks_ref.version}
 * (a Greeks worker writes its payload with the version of the rf rate it used).
 *
 * <p>Row-level rule, exactly: a recompute is needed when both slots are Filled and their versions
 * differ. Without a Filled {@code rf_rate_ref} there is nothing to compute with; without a Filled
 * {@code greeks_ref} the minute is ordinary backlog, not a recompute — {@link #state} tells the
 * cases apart for workers and metrics.
 */
public final class GreeksRecompute {
    private GreeksRecompute() {}

    public enum State {
        /** rf_rate_ref is not Filled: Greeks cannot run yet. */
        NO_RF_RATE,
        /** rf_rate_ref Filled, greeks_ref not: first computation pending. */
        NOT_COMPUTED,
        /** Both Filled, versions differ: rerun. */
        STALE,
        /** Both Filled, same version. */
        CURRENT
    }

    public static boolean needsGreeksRecompute(long rfRateVersion, long greeksVersion) { return rfRateVersion != greeksVersion; }

    public static State state(SlotStatus rfStatus, long rfVersion, SlotStatus greeksStatus, long greeksVersion) {
        if (rfStatus != SlotStatus.FILLED) return State.NO_RF_RATE;
        if (greeksStatus != SlotStatus.FILLED) return State.NOT_COMPUTED;
        return needsGreeksRecompute(rfVersion, greeksVersion) ? State.STALE : State.CURRENT;
    }

    public static State state(SlotView rfRateRef, SlotView greeksRef) {
        return state(rfRateRef.status(), rfRateRef.version(), greeksRef.status(), greeksRef.version());
    }

    public static State state(TradeRow trade, EnrichmentRow enrichment) {
        sameWindow(trade.symbolId(), trade.minuteIdx(), enrichment.symbolId(), enrichment.minuteIdx());
        return state(trade.rfRateRef(), enrichment.greeksRef());
    }

    /** Allocation-free, for {@code iterSymbol}/{@code iterMinute} walks of both ledgers in step. */
    public static State state(RowCursor trade, RowCursor enrichment) {
        if (trade.ledger() != LedgerKind.TRADE || enrichment.ledger() != LedgerKind.ENRICHMENT) {
            throw new IllegalArgumentException("want a trade cursor and an enrichment cursor");
        }
        sameWindow(trade.symbolId(), trade.minuteIdx(), enrichment.symbolId(), enrichment.minuteIdx());
        return state(trade.status(SlotKind.RF_RATE_REF), trade.version(SlotKind.RF_RATE_REF),
                enrichment.status(SlotKind.GREEKS_REF), enrichment.version(SlotKind.GREEKS_REF));
    }

    public static boolean needsGreeksRecompute(SlotView rfRateRef, SlotView greeksRef) { return state(rfRateRef, greeksRef) == State.STALE; }

    public static boolean needsGreeksRecompute(TradeRow trade, EnrichmentRow enrichment) { return state(trade, enrichment) == State.STALE; }

    public static boolean needsGreeksRecompute(RowCursor trade, RowCursor enrichment) { return state(trade, enrichment) == State.STALE; }

    private static void sameWindow(int s1, int m1, int s2, int m2) {
        if (s1 != s2 || m1 != m2) throw new IllegalArgumentException("rows of different windows: (" + s1 + ", " + m1 + ") vs (" + s2 + ", " + m2 + ")");
    }
}
