package io.quire.windows.treasury;

import java.util.Optional;

/**
 * The version a parsed curve gets against what is stored: a new date is version 1; a curve
 * re-published for a stored date with different values (other yields, or a tenor added or
 * removed) is the stored version + 1; equal values (numerically: 4.3 = 4.30) keep the stored
 * version and payload.
 */
public record Revision(TreasuryCurve curve, Kind kind, long version, long storedPayloadId) {
    public enum Kind { NEW, REVISED, UNCHANGED }

    public static Revision of(TreasuryCurve curve, Optional<StoredCurve> stored) {
        if (stored.isEmpty()) return new Revision(curve, Kind.NEW, 1, 0);
        StoredCurve s = stored.get();
        if (!s.date().equals(curve.date())) throw new IllegalArgumentException("stored curve of " + s.date() + " compared with " + curve.date());
        if (curve.sameValues(s.tenors())) return new Revision(curve, Kind.UNCHANGED, s.version(), s.payloadId());
        if (s.version() >= 0xFFFF_FFFFL) throw new IllegalStateException("bad math in Revision: version " + s.version() + " cannot grow (u32)");
        return new Revision(curve, Kind.REVISED, s.version() + 1, 0);
    }
}
