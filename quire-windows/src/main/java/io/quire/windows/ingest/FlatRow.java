package io.quire.windows.ingest;

/** What the partitioner needs of a row: its ticker, its SIP timestamp and where it came from. */
public sealed interface FlatRow permits TradeRow, QuoteRow {
    String ticker();

    /** SIP timestamp, Unix epoch nanoseconds; it decides the row's minute. */
    long sipTs();

    /** 1-based line of the row in its file (the header is line 1). */
    long line();
}
