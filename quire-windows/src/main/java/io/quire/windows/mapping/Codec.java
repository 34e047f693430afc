package io.quire.windows.mapping;

import io.quire.core.ErrorKind;
import io.quire.core.QuireException;
import io.quire.windows.slots.PayloadType;

import java.util.List;

/** Shared helpers of the payload codecs, and the codec of each payload type. */
public final class Codec {
    private Codec() {}

    static final long CANONICAL_NAN_BITS = 0x7FF8_0000_0000_0000L;

    private static final List<PayloadCodec<?>> ALL = List.of(RfRatePayloadCodec.INSTANCE, TradePayloadCodec.INSTANCE,
            QuotePayloadCodec.INSTANCE, AggressorPayloadCodec.INSTANCE, GreeksPayloadCodec.INSTANCE, AggregatePayloadCodec.INSTANCE);

    /** The codec of {@code type}; INVALID_INPUT for NONE. */
    public static PayloadCodec<?> forType(PayloadType type) {
        for (PayloadCodec<?> c : ALL) if (c.type() == type) return c;
        throw QuireException.invalid("payload type " + type + " has no mapping file");
    }

    /** All six codecs, in PayloadType code order. */
    public static List<PayloadCodec<?>> all() { return ALL; }

    /** Refuses a schema version the codec does not read (see {@link PayloadCodec}). */
    static void checkSchema(PayloadCodec<?> codec, int schemaVersion) {
        if (schemaVersion == codec.schemaVersion()) return;
        String name = codec.type().mapFile();
        if (schemaVersion > codec.schemaVersion()) {
            throw new QuireException(ErrorKind.INVALID_INPUT, name + ": payload schema version " + schemaVersion
                    + " is newer than this build reads (" + codec.schemaVersion() + "); it was written by a newer Quire — upgrade to read it")
                    .withCode("schema_too_new");
        }
        throw new QuireException(ErrorKind.INTEGRITY, name + ": payload schema version " + schemaVersion
                + " was never written by Quire (known: 1.." + codec.schemaVersion() + ")").withCode("schema_unknown");
    }

    static void require(boolean ok, String message) {
        if (!ok) throw QuireException.invalid(message).withCode("payload_invalid");
    }

    /** A double must be finite ({@code nanOk}: or NaN, meaning "not computed"). */
    static void finite(double d, boolean nanOk, String what) {
        if (Double.isInfinite(d) || (!nanOk && Double.isNaN(d))) {
            throw QuireException.invalid(what + " must be finite" + (nanOk ? " or NaN" : "") + ", got " + d).withCode("payload_invalid");
        }
    }

    /** Text of 1..max printable ASCII bytes (0x20..0x7E) without leading or trailing spaces. */
    static void asciiText(String s, int max, String what) {
        require(s != null && !s.isEmpty(), what + " must not be empty");
        require(s.length() <= max, what + " is " + s.length() + " characters; the limit is " + max + " bytes");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            require(c >= 0x20 && c <= 0x7E, what + " has character U+" + String.format("%04X", (int) c) + " at index " + i + " (printable ASCII only)");
        }
        require(s.charAt(0) != ' ' && s.charAt(s.length() - 1) != ' ', what + " must not start or end with a space");
    }

    /** Decoded ASCII text goes through the record constructor; a validation failure there is INTEGRITY. */
    static <R> R construct(BodyReader r, java.util.function.Supplier<R> make) {
        try {
            return make.get();
        } catch (QuireException e) {
            if (e.kind() != ErrorKind.INVALID_INPUT) throw e;
            throw r.bad("decoded fields are not a valid record: " + e.reason());
        }
    }
}
