package io.quire.windows.ingest;

import java.util.Arrays;

/**
 * One quote of a Polygon/Massive flat file ({@code us_stocks_sip/quotes_v1},
 * {@code us_options_opra/quotes_v1}). A price of 0 means that side is absent (Polygon writes 0 for
 * an empty side). Absent optional fields as in {@link TradeRow}.
 */
public record QuoteRow(String ticker, long sipTs, long participantTs, double bidPrice, double bidSize, int bidExchange, double askPrice,
                       double askSize, int askExchange, int[] conditions, int[] indicators, long sequence, int tape, long trfTs, long line)
        implements FlatRow {

    /** Same market data (every field but {@code line}). */
    @Override
    public boolean equals(Object o) {
        return o instanceof QuoteRow q && ticker.equals(q.ticker) && sipTs == q.sipTs && participantTs == q.participantTs
                && Double.compare(bidPrice, q.bidPrice) == 0 && Double.compare(bidSize, q.bidSize) == 0 && bidExchange == q.bidExchange
                && Double.compare(askPrice, q.askPrice) == 0 && Double.compare(askSize, q.askSize) == 0 && askExchange == q.askExchange
                && Arrays.equals(conditions, q.conditions) && Arrays.equals(indicators, q.indicators) && sequence == q.sequence
                && tape == q.tape && trfTs == q.trfTs;
    }

    @Override
    public int hashCode() { return ticker.hashCode() * 31 + Long.hashCode(sipTs) * 17 + Double.hashCode(bidPrice) + Double.hashCode(askPrice); }

    @Override
    public String toString() {
        return "QuoteRow[" + ticker + " sip=" + sipTs + " part=" + participantTs + " bid " + bidPrice + "x" + bidSize + "@" + bidExchange + " ask "
                + askPrice + "x" + askSize + "@" + askExchange + " cond=" + Arrays.toString(conditions) + " ind=" + Arrays.toString(indicators)
                + " seq=" + sequence + " tape=" + tape + " trf=" + trfTs + " line " + line + "]";
    }
}
