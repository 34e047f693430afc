package io.quire.windows.mapping;

import io.quire.windows.slots.AggWindow;
import io.quire.windows.slots.PayloadType;

/**
 * Owner of the body bytes of {@link AggregatePayload}, schema version 2. Big-endian, 65 bytes.
 * Version 2 adds the window without trades (trade_count 0, volume 0, every price the canonical
 * NaN); version 1 bodies (same layout, trade_count ≥ 1, finite prices) are still read.
 *
 * <pre>
 * offset  size  field
 *  0      8     start_ts_ns i64
 *  8      1     window u8: 1 = 1m, 2 = 5m, 3 = 10m, 4 = 30m, 5 = 1h, 6 = 4h
 *  9      8     open f64    (NaN iff trade_count = 0)
 * 17      8     high f64    (NaN iff trade_count = 0)
 * 25      8     low f64     (NaN iff trade_count = 0)
 * 33      8     close f64   (NaN iff trade_count = 0)
 * 41      8     volume i64 (≥ 0; 0 when trade_count = 0)
 * 49      8     trade_count i64 (≥ 1 in v1, ≥ 0 in v2)
 * 57      8     vwap f64    (NaN iff trade_count = 0)
 * </pre>
 */
public final class AggregatePayloadCodec implements PayloadCodec<AggregatePayload> {
    public static final AggregatePayloadCodec INSTANCE = new AggregatePayloadCodec();
    public static final int SCHEMA_VERSION = 2;
    /** The first schema: every aggregate had a trade. */
    static final int SCHEMA_V1 = 1;
    public static final int BODY_BYTES = 65;

    private AggregatePayloadCodec() {}

    @Override public PayloadType type() { return PayloadType.AGGREGATE; }
    @Override public Class<AggregatePayload> recordClass() { return AggregatePayload.class; }
    @Override public int schemaVersion() { return SCHEMA_VERSION; }

    /** The stored code of a window; explicit, so reordering the enum cannot change the bytes. */
    static int windowCode(AggWindow w) {
        return switch (w) {
            case M1 -> 1;
            case M5 -> 2;
            case M10 -> 3;
            case M30 -> 4;
            case H1 -> 5;
            case H4 -> 6;
        };
    }

    static AggWindow window(int code) {
        return switch (code) {
            case 1 -> AggWindow.M1;
            case 2 -> AggWindow.M5;
            case 3 -> AggWindow.M10;
            case 4 -> AggWindow.M30;
            case 5 -> AggWindow.H1;
            case 6 -> AggWindow.H4;
            default -> null;
        };
    }

    @Override
    public byte[] encode(AggregatePayload p) {
        BodyWriter w = new BodyWriter(BODY_BYTES);
        w.i64(p.startTsNs()).u8(windowCode(p.window())).f64(p.open()).f64(p.high()).f64(p.low()).f64(p.close())
                .i64(p.volume()).i64(p.tradeCount()).f64(p.vwap());
        return w.toBytes();
    }

    @Override
    public AggregatePayload decode(int schemaVersion, byte[] body) {
        if (schemaVersion != SCHEMA_V1) Codec.checkSchema(this, schemaVersion);
        BodyReader r = new BodyReader("aggregate payload v" + schemaVersion, body);
        if (body.length != BODY_BYTES) throw r.bad("body is " + body.length + " bytes; schema " + schemaVersion + " has exactly " + BODY_BYTES);
        long start = r.i64("start_ts_ns");
        int code = r.u8("window");
        AggWindow window = window(code);
        if (window == null) throw r.bad("window code " + code + " is not one of 1..6");
        boolean nanOk = schemaVersion > SCHEMA_V1;
        double open = r.f64("open", nanOk), high = r.f64("high", nanOk), low = r.f64("low", nanOk), close = r.f64("close", nanOk);
        long volume = r.count("volume"), trades = r.count("trade_count");
        double vwap = r.f64("vwap", nanOk);
        r.end();
        if (!nanOk && trades == 0) throw r.bad("trade_count is 0; schema 1 has no window without trades");
        return Codec.construct(r, () -> new AggregatePayload(window, start, open, high, low, close, volume, trades, vwap));
    }
}
