package io.quire.windows.ingest;

import java.util.Arrays;

/**
 * One trade of a Polygon/Massive flat file ({@code us_stocks_sip/trades_v1},
 * {@code us_options_opra/trades_v1}). Optional columns that are absent from the file or empty in
 * the row are {@link Rows#ABSENT_LONG} / {@link Rows#ABSENT_INT} / {@code ""} / an empty list.
 *
 * @param price         dollars per share (per contract unit for options), finite, > 0
 * @param size          shares or contracts, finite, ≥ 0, may be fractional
 * @param conditions    condition codes of the {@code conditions} list, in file order
 * @param id            the trade id, as text (it is not always numeric)
 * @param line          line in the file (not part of the market data: excluded from equality)
 */
public record TradeRow(String ticker, long sipTs, long participantTs, double price, double size, int exchange, int[] conditions,
                       int correction, String id, long sequence, int tape, int trfId, long trfTs, long line) implements FlatRow {

    /** Same market data (every field but {@code line}). */
    @Override
    public boolean equals(Object o) {
        return o instanceof TradeRow t && ticker.equals(t.ticker) && sipTs == t.sipTs && participantTs == t.participantTs
                && Double.compare(price, t.price) == 0 && Double.compare(size, t.size) == 0 && exchange == t.exchange
                && Arrays.equals(conditions, t.conditions) && correction == t.correction && id.equals(t.id) && sequence == t.sequence
                && tape == t.tape && trfId == t.trfId && trfTs == t.trfTs;
    }

    @Override
    public int hashCode() { return ticker.hashCode() * 31 + Long.hashCode(sipTs) * 17 + Double.hashCode(price) + Arrays.hashCode(conditions); }

    @Override
    public String toString() {
        return "TradeRow[" + ticker + " sip=" + sipTs + " part=" + participantTs + " " + price + "x" + size + " ex=" + exchange + " cond="
                + Arrays.toString(conditions) + " corr=" + correction + " id=" + id + " seq=" + sequence + " tape=" + tape + " trf=" + trfId + "@" + trfTs
                + " line " + line + "]";
    }
}
