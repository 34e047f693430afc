package io.quire.windows.mapping;

import io.quire.windows.slots.AggWindow;
import io.quire.windows.slots.PayloadType;

import java.util.ArrayList;
import java.util.List;

/** Fixed sample records (the golden ones) and records derived from an index, per payload type. */
final class Samples {
    private Samples() {}

    static final long TS = 1_736_173_800_000_000_000L; // 2025-01-06T14:30:00Z in epoch ns

    /** The record each golden body file holds. */
    static PayloadRecord golden(PayloadType t) {
        return switch (t) {
            case RF_RATE -> new RfRatePayload(TS, "UST-PAR", List.of(new RfRatePayload.Tenor("1 Mo", 4.33),
                    new RfRatePayload.Tenor("1.5 Month", 4.31), new RfRatePayload.Tenor("30 Yr", 4.82)), 3);
            case TRADE -> new TradePayload("trades/2025-01-06.csv.gz#p7", 1_048_576, 65_536, 412, TS, TS + 59_999_000_000L);
            case QUOTE -> new QuotePayload("quotes/2025-01-06.csv.gz#p7", 0, 262_144, 3_001, TS, TS + 59_000_000_000L);
            case AGGRESSOR -> new AggressorPayload(200, 190, 22, 51_000, 48_500, 3_100, 350, 40, 0.875,
                    AggressorPayload.FLAG_MISSING_QUOTES);
            case GREEKS -> new GreeksPayload(0.52, 0.031, 0.118, -0.045, 0.2175, GreeksPayload.FLAG_STALE_INPUT, 591.25, 4.33, 3);
            case AGGREGATE -> new AggregatePayload(AggWindow.M5, TS, 591.0, 592.5, 590.25, 591.75, 1_234_567, 4_321, 591.4);
            case NONE -> throw new IllegalArgumentException("NONE");
        };
    }

    /** A record whose every field depends on {@code i}, so a read can be checked against its id. */
    static PayloadRecord forIndex(PayloadType t, long i) {
        double d = (i % 1000) / 8.0;
        return switch (t) {
            case RF_RATE -> {
                List<RfRatePayload.Tenor> tenors = new ArrayList<>();
                for (int k = 0; k < 1 + i % 14; k++) tenors.add(new RfRatePayload.Tenor(k + " Mo", d + k));
                yield new RfRatePayload(TS + i, "C" + i, tenors, i & 0xFFFF_FFFFL);
            }
            case TRADE -> new TradePayload("trades/" + i + ".csv", i, i * 3, i % 500, TS + i, TS + 2 * i);
            case QUOTE -> new QuotePayload("quotes/" + "q".repeat((int) (i % 40)) + i, i, i * 7, i % 90, TS, TS + i);
            case AGGRESSOR -> new AggressorPayload(i, i + 1, i % 3, i * 100, i * 90, 5, i, i + 1, i % 2 == 0 ? 0.5 : 1.0, (int) i);
            case GREEKS -> new GreeksPayload(d, d / 10, i % 5 == 0 ? Double.NaN : d, -d, i % 5 == 0 ? Double.NaN : d / 100,
                    (int) (i % 16), 1 + d, 4.0, i & 0xFFFF_FFFFL);
            case AGGREGATE -> new AggregatePayload(AggWindow.values()[(int) (i % 6)], TS + i * 60_000_000_000L, d, d + 2, d - 1, d + 1,
                    i, 1 + i % 100, d + 0.5);
            case NONE -> throw new IllegalArgumentException("NONE");
        };
    }

    static final List<PayloadType> TYPES = List.of(PayloadType.RF_RATE, PayloadType.TRADE, PayloadType.QUOTE, PayloadType.AGGRESSOR,
            PayloadType.GREEKS, PayloadType.AGGREGATE);

    static String hex(byte[] a) {
        StringBuilder b = new StringBuilder();
        for (byte x : a) b.append(String.format("%02x", x & 0xFF));
        return b.toString();
    }

    static long seed() {
        String s = System.getProperty("quire.test.seed");
        return s != null ? Long.parseLong(s) : System.nanoTime();
    }
}
