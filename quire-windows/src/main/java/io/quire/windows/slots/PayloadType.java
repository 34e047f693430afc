package io.quire.windows.slots;

/**
 * Which mapping file owns a slot's payload ({@code payload_type u8}). {@link #NONE} (0) is what
 * an Empty, Pending or Cleared slot carries; a {@link PayloadMeta} never names it.
 */
public enum PayloadType {
    NONE(0, null),
    RF_RATE(1, "rf_rate.map"),
    TRADE(2, "trade.map"),
    QUOTE(3, "quote.map"),
    AGGRESSOR(4, "aggressor.map"),
    GREEKS(5, "greeks.map"),
    AGGREGATE(6, "aggregate.map");

    private static final PayloadType[] BY_CODE = values();

    private final int code;
    private final String mapFile;

    PayloadType(int code, String mapFile) {
        this.code = code;
        this.mapFile = mapFile;
    }

    public int code() { return code; }

    /** The mapping file that holds payloads of this type, or null for NONE. */
    public String mapFile() { return mapFile; }

    /** The type for a stored code, or null when the byte is not a known type. */
    public static PayloadType ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    static {
        for (int i = 0; i < BY_CODE.length; i++)
            if (BY_CODE[i].code != i) throw new IllegalStateException("bad math in PayloadType: code " + BY_CODE[i].code + " at ordinal " + i);
    }
}
