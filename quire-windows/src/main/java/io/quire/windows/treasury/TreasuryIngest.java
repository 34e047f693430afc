package io.quire.windows.treasury;

import io.quire.windows.calendar.TradingCalendar;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Applies parsed curves to one year: for each curve, its {@link Revision} against the sink,
 * its validity ({@link TreasuryValidity}); new and revised curves whose validity holds market
 * minutes of the year are appended, and every curve with minutes gets its range written.
 * Superseded curves (empty span) and curves outside the year are reported, not stored.
 */
public final class TreasuryIngest {
    private TreasuryIngest() {}

    /** What happened to one curve. {@code payloadId} is 0 when nothing was stored or written. */
    public record Applied(CurveValidity validity, Revision revision, long payloadId) {}

    public static List<Applied> apply(List<TreasuryCurve> curves, TradingCalendar year, IntFunction<TradingCalendar> calendars,
                                      LocalDate coverThrough, RfRateSink sink) {
        List<Applied> out = new ArrayList<>();
        for (CurveValidity v : TreasuryValidity.map(curves, year, calendars, coverThrough)) {
            Revision r = Revision.of(v.curve(), sink.latest(v.curve().date()));
            if (v.span().isEmpty()) {
                out.add(new Applied(v, r, 0));
                continue;
            }
            long id = r.kind() == Revision.Kind.UNCHANGED ? r.storedPayloadId() : sink.append(v.curve(), r.version(), v.validFrom(), v.validTo());
            if (id < 1) throw new IllegalStateException("bad math in RfRateSink: payload id " + id);
            sink.writeRange(id, r.version(), r.kind(), v.curve(), v.span());
            out.add(new Applied(v, r, id));
        }
        return out;
    }
}
