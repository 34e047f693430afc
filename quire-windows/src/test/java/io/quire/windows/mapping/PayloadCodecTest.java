package io.quire.windows.mapping;

import io.quire.core.ErrorKind;
import io.quire.core.QuireException;
import io.quire.windows.slots.PayloadType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Golden bodies, round trips, validation, schema versions and random bytes for every codec. */
class PayloadCodecTest {

    @SuppressWarnings("unchecked")
    static <T extends PayloadRecord> PayloadCodec<T> codec(PayloadType t) { return (PayloadCodec<T>) Codec.forType(t); }

    static byte[] golden(String name) throws IOException {
        try (InputStream in = PayloadCodecTest.class.getResourceAsStream("/golden/mapping/" + name)) {
            if (in == null) throw new AssertionError("missing golden file " + name + "; run with -Dquire.golden.write=<dir of src/test/resources/golden/mapping>");
            return in.readAllBytes();
        }
    }

    static String goldenName(PayloadType t) { return t.name().toLowerCase() + "-body-v1.bin"; }

    /** Writes the golden files when asked (once, by hand, then reviewed and checked in). */
    static void maybeWriteGolden(String name, byte[] bytes) throws IOException {
        String dir = System.getProperty("quire.golden.write");
        if (dir != null) Files.write(Path.of(dir, name), bytes);
    }

    @ParameterizedTest
    @EnumSource(value = PayloadType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void shouldDecodeTheGoldenBodyAndReencodeItByteForByte(PayloadType t) throws IOException {
        PayloadCodec<PayloadRecord> c = codec(t);
        maybeWriteGolden(goldenName(t), c.encode(Samples.golden(t)));
        byte[] bytes = golden(goldenName(t));
        PayloadRecord decoded = c.decode(1, bytes);
        assertThat(decoded).isEqualTo(Samples.golden(t));
        assertThat(c.encode(decoded)).isEqualTo(bytes);
        assertThat(decoded.type()).isEqualTo(t);
        assertThat(c.type()).isEqualTo(t);
        assertThat(c.schemaVersion()).isEqualTo(t == PayloadType.AGGREGATE ? 2 : 1);
    }

    /** Aggregate schema 2: the window without trades (count 0, prices NaN) round trips; schema 1 refuses it, reads the rest. */
    @Test
    void shouldStoreTheAggregateOfAWindowWithoutTradesInSchema2Only() throws IOException {
        AggregatePayloadCodec c = AggregatePayloadCodec.INSTANCE;
        AggregatePayload none = AggregatePayload.noTrades(io.quire.windows.slots.AggWindow.M30, Samples.TS);
        byte[] b = c.encode(none);
        assertThat(b).hasSize(AggregatePayloadCodec.BODY_BYTES);
        assertThat(c.decode(2, b)).isEqualTo(none);
        assertThat(c.decode(2, b).tradeCount()).isZero();
        assertThatThrownBy(() -> c.decode(1, b)).isInstanceOfSatisfying(QuireException.class, e -> assertThat(e.getMessage()).contains("NaN"));
        byte[] golden = golden(goldenName(PayloadType.AGGREGATE));
        assertThat(c.decode(1, golden)).isEqualTo(c.decode(2, golden));
        List<Runnable> bad = List.of(
                () -> new AggregatePayload(io.quire.windows.slots.AggWindow.M1, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 5, 0, Double.NaN),
                () -> new AggregatePayload(io.quire.windows.slots.AggWindow.M1, 0, 1, 1, 1, 1, 0, 0, 1),
                () -> new AggregatePayload(io.quire.windows.slots.AggWindow.M1, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 1, Double.NaN));
        for (int i = 0; i < bad.size(); i++) {
            assertThatThrownBy(bad.get(i)::run).as("case %d", i).isInstanceOfSatisfying(QuireException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT));
        }
    }

    /** A few fields of the goldens checked against the byte tables by hand, so the tables and the code agree. */
    @Test
    void shouldLayOutFieldsAsTheTablesSay() throws IOException {
        byte[] agg = golden(goldenName(PayloadType.AGGREGATE));
        assertThat(agg).hasSize(AggregatePayloadCodec.BODY_BYTES);
        assertThat(Samples.hex(Arrays.copyOfRange(agg, 0, 8))).isEqualTo(String.format("%016x", Samples.TS)); // start_ts big-endian
        assertThat(agg[8]).isEqualTo((byte) 2);                                                          // window 5m
        assertThat(Samples.hex(Arrays.copyOfRange(agg, 9, 17))).isEqualTo(Long.toHexString(Double.doubleToLongBits(591.0)));
        byte[] rf = golden(goldenName(PayloadType.RF_RATE));
        assertThat(Samples.hex(Arrays.copyOfRange(rf, 8, 13))).isEqualTo("0000000307"); // version 3, curve_id length 7
        assertThat(new String(rf, 13, 7)).isEqualTo("UST-PAR");
        assertThat(rf[20]).isEqualTo((byte) 3);                                           // 3 tenors
        assertThat(rf[21]).isEqualTo((byte) 4);                                           // "1 Mo"
        assertThat(new String(rf, 22, 4)).isEqualTo("1 Mo");
        byte[] trade = golden(goldenName(PayloadType.TRADE));
        assertThat(Samples.hex(Arrays.copyOfRange(trade, 16, 24))).isEqualTo("0000000000100000"); // offset 1 MiB
        assertThat(Samples.hex(Arrays.copyOfRange(trade, 40, 42))).isEqualTo("001b");             // artifact length 27
        assertThat(golden(goldenName(PayloadType.GREEKS))).hasSize(GreeksPayloadCodec.BODY_BYTES);
        assertThat(golden(goldenName(PayloadType.AGGRESSOR))).hasSize(AggressorPayloadCodec.BODY_BYTES);
    }

    @ParameterizedTest
    @EnumSource(value = PayloadType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void shouldRoundTripManyRecords(PayloadType t) {
        PayloadCodec<PayloadRecord> c = codec(t);
        for (long i = 0; i < 500; i++) {
            PayloadRecord r = Samples.forIndex(t, i);
            byte[] b = c.encode(r);
            assertThat(b.length).isBetween(1, MappingLimits.BODY_BYTES_MAX);
            assertThat(c.decode(1, b)).isEqualTo(r);
        }
    }

    @ParameterizedTest
    @EnumSource(value = PayloadType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void shouldRefuseNewerSchemasAsInvalidInputAndUnknownOnesAsIntegrity(PayloadType t) throws IOException {
        PayloadCodec<PayloadRecord> c = codec(t);
        byte[] b = golden(goldenName(t));
        int next = c.schemaVersion() + 1;
        assertThatThrownBy(() -> c.decode(next, b)).isInstanceOfSatisfying(QuireException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
            assertThat(e.code()).isEqualTo("schema_too_new");
            assertThat(e.getMessage()).contains("schema version " + next + " is newer than this build reads (" + c.schemaVersion() + ")").contains("upgrade");
        });
        assertThatThrownBy(() -> c.decode(0, b)).isInstanceOfSatisfying(QuireException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY);
            assertThat(e.code()).isEqualTo("schema_unknown");
        });
    }

    /**
     * Invariants checked: for every codec, random byte strings (random lengths around the real
     * sizes), every truncation and every single-bit flip of the golden body either decode to a
     * record that re-encodes to exactly the same bytes, or throw a QuireException — never
     * anything else. Replay with -Dquire.test.seed.
     */
    @ParameterizedTest
    @EnumSource(value = PayloadType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void shouldOnlyEverThrowQuireExceptionOnRandomBytes(PayloadType t) throws IOException {
        long seed = Samples.seed();
        Random rnd = new Random(seed ^ t.code());
        PayloadCodec<PayloadRecord> c = codec(t);
        byte[] g = golden(goldenName(t));
        List<byte[]> inputs = new ArrayList<>();
        for (int len = 0; len < g.length; len++) inputs.add(Arrays.copyOf(g, len));
        for (int bit = 0; bit < g.length * 8; bit++) {
            byte[] f = g.clone();
            f[bit / 8] ^= (byte) (1 << (bit % 8));
            inputs.add(f);
        }
        for (int i = 0; i < 20_000; i++) {
            byte[] r = new byte[rnd.nextInt(i % 10 == 0 ? 2 * MappingLimits.BODY_BYTES_MAX : 160)];
            rnd.nextBytes(r);
            if (i % 3 == 0 && r.length > 20) r[12] = (byte) rnd.nextInt(8); // plausible small lengths for rf_rate
            inputs.add(r);
        }
        for (byte[] in : inputs) {
            try {
                PayloadRecord r = c.decode(1, in);
                assertThat(c.encode(r)).as("seed %d: decoded bytes must re-encode identically", seed).isEqualTo(in);
            } catch (QuireException expected) {
                assertThat(expected.kind()).as("seed %d", seed).isIn(ErrorKind.INTEGRITY, ErrorKind.INVALID_INPUT);
            } catch (Throwable other) {
                throw new AssertionError("seed " + seed + ": " + t + " decoder threw " + other + " on " + Samples.hex(in), other);
            }
        }
    }

    @Test
    void shouldRefuseInvalidRecordsAtConstruction() {
        List<Runnable> bad = List.of(
                () -> new RfRatePayload(0, "", List.of(new RfRatePayload.Tenor("1 Mo", 1)), 1),
                () -> new RfRatePayload(0, "C", List.of(), 1),
                () -> new RfRatePayload(0, "C", List.of(new RfRatePayload.Tenor("1 Mo", 1), new RfRatePayload.Tenor("1 Mo", 2)), 1),
                () -> new RfRatePayload(0, "C", List.of(new RfRatePayload.Tenor("1 Mo", 1)), -1),
                () -> new RfRatePayload(0, "C", List.of(new RfRatePayload.Tenor("1 Mo", 1)), 1L << 32),
                () -> new RfRatePayload.Tenor("1 Mo", Double.NaN),
                () -> new RfRatePayload.Tenor(" 1 Mo", 1),
                () -> new RfRatePayload.Tenor("x".repeat(MappingLimits.TENOR_NAME_BYTES_MAX + 1), 1),
                () -> new RfRatePayload(0, "c".repeat(MappingLimits.CURVE_ID_BYTES_MAX + 1), List.of(new RfRatePayload.Tenor("1 Mo", 1)), 1),
                () -> new TradePayload("", 0, 0, 0, 0, 0),
                () -> new TradePayload("a\nb", 0, 0, 0, 0, 0),
                () -> new TradePayload("a\uD800", 0, 0, 0, 0, 0),
                () -> new TradePayload("a", -1, 0, 0, 0, 0),
                () -> new TradePayload("a", 0, 0, 0, 5, 4),
                () -> new QuotePayload("é".repeat(MappingLimits.ARTIFACT_BYTES_MAX / 2 + 1), 0, 0, 0, 0, 0),
                () -> new AggressorPayload(1, 1, 0, 0, 0, 0, 1, 0, 0.5, 0),
                () -> new AggressorPayload(1, 0, 0, 0, 0, 0, 1, 0, 1.5, 0),
                () -> new AggressorPayload(1, 0, 0, 0, 0, 0, 1, 0, Double.NaN, 0),
                () -> new AggressorPayload(-1, 0, 0, 0, 0, 0, 0, 0, Double.NaN, 0),
                () -> new GreeksPayload(Double.POSITIVE_INFINITY, 0, 0, 0, 0, 0, 1, 1, 1),
                () -> new GreeksPayload(0, 0, 0, 0, -0.1, 0, 1, 1, 1),
                () -> new GreeksPayload(0, 0, 0, 0, 0.1, 0, 0, 1, 1),
                () -> new GreeksPayload(0, 0, 0, 0, 0.1, 0, 1, Double.NaN, 1),
                () -> new AggregatePayload(io.quire.windows.slots.AggWindow.M1, 0, 1, 2, 1.5, 1, 1, 1, 1.2),
                () -> new AggregatePayload(io.quire.windows.slots.AggWindow.M1, 0, 1, 2, 1, 1, 1, 0, 1.2),
                () -> new AggregatePayload(io.quire.windows.slots.AggWindow.M1, 0, 1, 2, 1, 1, -1, 1, 1.2),
                () -> new AggregatePayload(io.quire.windows.slots.AggWindow.M1, 0, 1, 2, 1, 1, 1, 1, 3));
        for (int i = 0; i < bad.size(); i++) {
            Runnable r = bad.get(i);
            assertThatThrownBy(r::run).as("case %d", i).isInstanceOfSatisfying(QuireException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT));
        }
    }

    @Test
    void shouldAcceptLimitsAtMax() {
        List<RfRatePayload.Tenor> tenors = new ArrayList<>();
        for (int i = 0; i < MappingLimits.TENORS_MAX; i++) tenors.add(new RfRatePayload.Tenor(String.format("%-31s", "T").replace(' ', 'x') + (char) ('A' + i % 26) , i));
        tenors.set(MappingLimits.TENORS_MAX - 1, new RfRatePayload.Tenor("last", 1));
        RfRatePayload big = new RfRatePayload(Long.MIN_VALUE, "c".repeat(MappingLimits.CURVE_ID_BYTES_MAX), dedupe(tenors), 0xFFFF_FFFFL);
        byte[] b = RfRatePayloadCodec.INSTANCE.encode(big);
        assertThat(RfRatePayloadCodec.INSTANCE.decode(1, b)).isEqualTo(big);
        List<RfRatePayload.Tenor> over = new ArrayList<>(big.tenors());
        over.add(new RfRatePayload.Tenor("one more", 1));
        assertThatThrownBy(() -> new RfRatePayload(0, "c", over, 1)).isInstanceOf(QuireException.class).hasMessageContaining("TENORS_MAX");
        TradePayload t = new TradePayload("a".repeat(MappingLimits.ARTIFACT_BYTES_MAX), Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE);
        byte[] tb = TradePayloadCodec.INSTANCE.encode(t);
        assertThat(tb).hasSize(TradePayloadCodec.BODY_BYTES_MAX);
        assertThat(TradePayloadCodec.INSTANCE.decode(1, tb)).isEqualTo(t);
        assertThatThrownBy(() -> new TradePayload("a".repeat(MappingLimits.ARTIFACT_BYTES_MAX + 1), 0, 0, 0, 0, 0))
                .isInstanceOf(QuireException.class).hasMessageContaining("ARTIFACT_BYTES_MAX");
        // A missing tenor is absent, never 0.
        RfRatePayload g = (RfRatePayload) Samples.golden(PayloadType.RF_RATE);
        assertThat(g.rate("2 Mo")).isEmpty();
        assertThat(g.rate("1.5 Month")).hasValue(4.31);
    }

    private static List<RfRatePayload.Tenor> dedupe(List<RfRatePayload.Tenor> in) {
        List<RfRatePayload.Tenor> out = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) out.add(new RfRatePayload.Tenor(i + in.get(i).name().substring(String.valueOf(i).length()), in.get(i).rate()));
        return out;
    }

    @Test
    void shouldLoadLimitsWhoseRelationsHold() {
        assertThat(MappingLimits.APPEND_BYTES_MAX).isEqualTo(1024 * (16 + 4096));
        assertThat(RfRatePayloadCodec.BODY_BYTES_MAX).isLessThanOrEqualTo(MappingLimits.BODY_BYTES_MAX);
    }

    @Test
    void shouldRefuseNonCanonicalNaNAndTrailingBytes() throws IOException {
        byte[] g = golden(goldenName(PayloadType.GREEKS)).clone();
        // delta := a NaN with a payload (not the canonical one).
        byte[] nan = {(byte) 0x7f, (byte) 0xf8, 0, 0, 0, 0, 0, 1};
        System.arraycopy(nan, 0, g, 0, 8);
        assertThatThrownBy(() -> GreeksPayloadCodec.INSTANCE.decode(1, g)).isInstanceOf(QuireException.class).hasMessageContaining("non-canonical NaN");
        byte[] rf = golden(goldenName(PayloadType.RF_RATE));
        byte[] longer = Arrays.copyOf(rf, rf.length + 1);
        assertThatThrownBy(() -> RfRatePayloadCodec.INSTANCE.decode(1, longer)).isInstanceOfSatisfying(QuireException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY);
            assertThat(e.getMessage()).contains("1 trailing bytes");
        });
    }
}
