package io.quire.windows.mapping;

import io.quire.windows.slots.PayloadType;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * One Treasury par yield curve (seed "Treasury Cadence"): the rates of the tenors that were
 * published, in the order given. A tenor that was not published (a blank CSV cell, or a column
 * the curve predates, such as {@code 1.5 Month} before February 2025) is absent from
 * {@link #tenors()} — never stored as 0. Owner of the bytes: {@link RfRatePayloadCodec}.
 *
 * @param effectiveTsNs when the curve takes effect, epoch nanoseconds
 * @param curveId       which curve, e.g. {@code UST-PAR}; 1..64 bytes of printable ASCII
 * @param tenors        1..{@link MappingLimits#TENORS_MAX} distinct tenors with finite rates (percent)
 * @param version       the curve's revision, u32; a revision bumps it
 */
public record RfRatePayload(long effectiveTsNs, String curveId, List<Tenor> tenors, long version) implements PayloadRecord {

    /** One published tenor: its name as in the source ({@code 1 Mo}, {@code 1.5 Month}, {@code 30 Yr}) and its rate in percent. */
    public record Tenor(String name, double rate) {
        public Tenor {
            Codec.asciiText(name, MappingLimits.TENOR_NAME_BYTES_MAX, "tenor name");
            Codec.finite(rate, false, "rate of tenor '" + name + "'");
        }
    }

    public RfRatePayload {
        Codec.asciiText(curveId, MappingLimits.CURVE_ID_BYTES_MAX, "curve_id");
        Objects.requireNonNull(tenors, "tenors");
        tenors = List.copyOf(tenors);
        Codec.require(!tenors.isEmpty(), "a curve needs at least one tenor");
        Codec.require(tenors.size() <= MappingLimits.TENORS_MAX, tenors.size() + " tenors; the limit is " + MappingLimits.TENORS_MAX + " (TENORS_MAX)");
        Set<String> seen = new HashSet<>();
        for (Tenor t : tenors) Codec.require(seen.add(t.name()), "tenor '" + t.name() + "' appears twice");
        Codec.require(version >= 0 && version <= 0xFFFF_FFFFL, "version " + version + " out of range 0..4294967295");
    }

    /** The rate of {@code tenor}, or empty when that tenor was not published. */
    public OptionalDouble rate(String tenor) {
        for (Tenor t : tenors) if (t.name().equals(tenor)) return OptionalDouble.of(t.rate());
        return OptionalDouble.empty();
    }

    @Override public PayloadType type() { return PayloadType.RF_RATE; }
}
