package io.quire.windows.ingest;

/** Shared conventions of {@link TradeRow} and {@link QuoteRow}. */
public final class Rows {
    private Rows() {}

    /** An absent optional timestamp or sequence number (an empty CSV field; for participant and TRF timestamps also 0). */
    public static final long ABSENT_LONG = Long.MIN_VALUE;
    /** An absent optional small integer (exchange, tape, correction, trf_id). */
    public static final int ABSENT_INT = -1;
    /** The empty condition/indicator list, shared. */
    public static final int[] NO_CODES = new int[0];
}
