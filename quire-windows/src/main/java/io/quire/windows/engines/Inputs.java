package io.quire.windows.engines;

import io.quire.windows.ingest.QuoteRow;
import io.quire.windows.ingest.TradeRow;
import io.quire.windows.mapping.ArtifactRef;
import io.quire.windows.mapping.QuotePayload;
import io.quire.windows.mapping.TradePayload;
import io.quire.windows.pricing.QuoteTick;
import io.quire.windows.pricing.TradeTick;
import io.quire.windows.slots.RowCursor;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotStatus;
import io.quire.windows.slots.SlotView;

import java.util.ArrayList;
import java.util.List;

/**
 * Reading a window's inputs the way every downstream engine does: slot → mapping file (the
 * record's checksum verified against the slot's) → artifact frame (its CRC32C and the ref's
 * counts verified). A ref with zero rows (a minute without trades or quotes) has no frame.
 */
final class Inputs {
    private Inputs() {}

    static List<TradeTick> trades(EngineContext ctx, SlotView slot) {
        ArtifactRef ref = ((TradePayload) ctx.maps().dereference(slot.meta())).ref();
        if (ref.recordCount() == 0) return List.of();
        List<TradeRow> rows = ctx.artifacts().readTrades(ref).rows();
        List<TradeTick> out = new ArrayList<>(rows.size());
        for (TradeRow r : rows) out.add(new TradeTick(r.sipTs(), r.price(), r.size()));
        return out;
    }

    static List<QuoteTick> quotes(EngineContext ctx, SlotView slot) {
        ArtifactRef ref = ((QuotePayload) ctx.maps().dereference(slot.meta())).ref();
        if (ref.recordCount() == 0) return List.of();
        List<QuoteRow> rows = ctx.artifacts().readQuotes(ref).rows();
        List<QuoteTick> out = new ArrayList<>(rows.size());
        for (QuoteRow r : rows) out.add(new QuoteTick(r.sipTs(), r.bidPrice(), r.askPrice(), r.bidSize(), r.askSize()));
        return out;
    }

    /**
     * For each member, the first minute of the session whose {@code column} is not Filled (the
     * session's end + 1 when all are): the column is complete for every minute before it.
     */
    static int[] filledThrough(EngineContext ctx, SlotKind column) {
        var session = ctx.session();
        int[] wm = new int[ctx.universe().idBound()];
        java.util.Arrays.fill(wm, session.firstMinuteIdx());
        for (Universe.Member u : ctx.universe().members()) {
            int[] at = {session.lastMinuteIdx() + 1};
            ctx.trade().iterSymbol(u.symbolId(), session.firstMinuteIdx(), session.lastMinuteIdx() + 1, (RowCursor c) -> {
                if (c.status(column) != SlotStatus.FILLED) {
                    at[0] = c.minuteIdx();
                    return false;
                }
                return true;
            });
            wm[u.symbolId()] = at[0];
        }
        return wm;
    }
}
