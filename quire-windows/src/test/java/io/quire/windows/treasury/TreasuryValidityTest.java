package io.quire.windows.treasury;

import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.regions.MinuteSpans;
import io.quire.windows.slots.EnrichmentLedger;
import io.quire.windows.slots.PayloadMeta;
import io.quire.windows.slots.PayloadType;
import io.quire.windows.slots.SlotMatrix;
import io.quire.windows.slots.SlotStatus;
import io.quire.windows.slots.SlotView;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.TradeLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Effective time, valid_from/valid_to and minute ranges across weekends, holidays, early closes, DST and year ends; revisions; Greeks staleness. */
class TreasuryValidityTest {
    static final TradingCalendar Y2025 = TradingCalendar.nyse(2025);
    static final EffectiveRule RULE = EffectiveRule.nextSessionOpen();

    static TreasuryCurve curve(String date, String y10) {
        LocalDate d = LocalDate.parse(date);
        return new TreasuryCurve(d, RULE.effectiveTs(d), Map.of(Tenor.Y10, new BigDecimal(y10)), 0);
    }

    static List<CurveValidity> map(LocalDate coverThrough, TreasuryCurve... cs) {
        return TreasuryValidity.map(List.of(cs), Y2025, TradingCalendar::nyse, coverThrough);
    }

    static int idx(String instant) { return ((io.quire.windows.calendar.MinuteLookup.MarketMinute) Y2025.minuteIdx(Instant.parse(instant))).minuteIdx(); }

    @Test
    void shouldCarryFridaysCurveOverTheWeekendAndTheDstChange() {
        // 2025-03-09 (Sunday) is the spring DST change: Friday opens 14:30Z, Monday 13:30Z.
        List<CurveValidity> v = map(null, curve("2025-03-07", "4.32"), curve("2025-03-06", "4.28"));
        CurveValidity thu = v.get(0), fri = v.get(1);
        assertThat(thu.curve().date()).isEqualTo(LocalDate.of(2025, 3, 6));
        assertThat(thu.validFrom()).isEqualTo(Instant.parse("2025-03-07T14:30:00Z"));
        assertThat(thu.validTo()).isEqualTo(Instant.parse("2025-03-10T13:30:00Z"));
        assertThat(thu.span()).isEqualTo(new MinuteSpans.Span(idx("2025-03-07T14:30:00Z"), idx("2025-03-10T13:30:00Z")));
        assertThat(thu.sessions()).singleElement().satisfies(s -> {
            assertThat(s.date()).isEqualTo(LocalDate.of(2025, 3, 7));
            assertThat(s.minutes()).isEqualTo(390);
        });
        assertThat(fri.validFrom()).isEqualTo(Instant.parse("2025-03-10T13:30:00Z"));
        assertThat(fri.validTo()).isEqualTo(Instant.parse("2025-03-10T20:00:00Z")); // newest: the close of its session
        assertThat(fri.span().minutes()).isEqualTo(390);
        // Data known current through Wednesday: the newest curve carries to Wednesday's close.
        CurveValidity carried = map(LocalDate.of(2025, 3, 12), curve("2025-03-07", "4.32")).get(0);
        assertThat(carried.validTo()).isEqualTo(Instant.parse("2025-03-12T20:00:00Z"));
        assertThat(carried.sessions()).extracting(MinuteSpans.SessionSpan::minutes).containsExactly(390, 390, 390);
        // A coverThrough on a Sunday means the Friday before; one before the effective session changes nothing.
        assertThat(map(LocalDate.of(2025, 3, 16), curve("2025-03-07", "4.32")).get(0).validTo()).isEqualTo(Instant.parse("2025-03-14T20:00:00Z"));
        assertThat(map(LocalDate.of(2025, 3, 8), curve("2025-03-07", "4.32")).get(0).validTo()).isEqualTo(Instant.parse("2025-03-10T20:00:00Z"));
    }

    @Test
    void shouldSkipAHolidayAndStopAtAnEarlyClose() {
        // Thanksgiving 2025-11-27 is closed; 2025-11-28 closes at 13:00 (210 minutes).
        List<CurveValidity> v = map(null, curve("2025-11-25", "4.00"), curve("2025-11-26", "4.01"), curve("2025-11-28", "4.02"));
        assertThat(v.get(0).validFrom()).isEqualTo(Instant.parse("2025-11-26T14:30:00Z"));
        assertThat(v.get(0).span().minutes()).isEqualTo(390);
        CurveValidity wed = v.get(1);
        assertThat(wed.validFrom()).isEqualTo(Instant.parse("2025-11-28T14:30:00Z"));
        assertThat(wed.validTo()).isEqualTo(Instant.parse("2025-12-01T14:30:00Z"));
        assertThat(wed.sessions()).singleElement().satisfies(s -> {
            assertThat(s.date()).isEqualTo(LocalDate.of(2025, 11, 28));
            assertThat(s.minutes()).isEqualTo(210);
        });
        // The newest curve's last session is the early close itself when it becomes effective there.
        CurveValidity alone = map(null, curve("2025-11-26", "4.01")).get(0);
        assertThat(alone.validTo()).isEqualTo(Instant.parse("2025-11-28T18:00:00Z"));
        assertThat(alone.span().minutes()).isEqualTo(210);
    }

    @Test
    void shouldLetTheNewerCurveWinWhenBothBecomeEffectiveTogether() {
        // Good Friday 2025-04-18: NYSE closed, Treasury may still publish; Thursday's and Friday's curves both start Monday.
        List<CurveValidity> v = map(null, curve("2025-04-17", "4.33"), curve("2025-04-18", "4.34"));
        assertThat(v.get(0).span().isEmpty()).isTrue();
        assertThat(v.get(0).sessions()).isEmpty();
        assertThat(v.get(1).validFrom()).isEqualTo(Instant.parse("2025-04-21T13:30:00Z"));
        assertThat(v.get(1).span().minutes()).isEqualTo(390);
    }

    @Test
    void shouldCrossTheYearBoundaryAndTheAutumnDstChange() {
        List<CurveValidity> v = map(null, curve("2024-12-31", "4.57"), curve("2025-01-02", "4.57"));
        assertThat(v.get(0).validFrom()).isEqualTo(Instant.parse("2025-01-02T14:30:00Z"));
        assertThat(v.get(0).span()).isEqualTo(new MinuteSpans.Span(0, 390));
        // 2025-11-02 (Sunday) ends DST: Friday 10-31 opens 13:30Z, Monday 11-03 14:30Z.
        List<CurveValidity> fall = map(null, curve("2025-10-30", "4.07"), curve("2025-10-31", "4.11"));
        assertThat(fall.get(0).validFrom()).isEqualTo(Instant.parse("2025-10-31T13:30:00Z"));
        assertThat(fall.get(1).validFrom()).isEqualTo(Instant.parse("2025-11-03T14:30:00Z"));
        assertThat(fall.get(0).span().minutes()).isEqualTo(390);
        // A curve entirely in another year has no minutes in this one.
        assertThat(map(null, curve("2024-06-03", "4.4")).get(0).span().isEmpty()).isTrue();
    }

    @Test
    void shouldFloorAnEffectiveTimeToItsMinute() {
        LocalDate d = LocalDate.of(2025, 6, 2);
        TreasuryCurve c = new TreasuryCurve(d, Instant.parse("2025-06-02T20:31:17.5Z"), Map.of(Tenor.Y10, BigDecimal.ONE), 0);
        CurveValidity v = TreasuryValidity.map(List.of(c), Y2025, TradingCalendar::nyse, null).get(0);
        assertThat(v.validFrom()).isEqualTo(Instant.parse("2025-06-02T20:31:00Z"));
        assertThat(v.validTo()).isEqualTo(Instant.parse("2025-06-03T20:00:00Z")); // after the close: the next session
        assertThat(v.sessions()).singleElement().satisfies(s -> assertThat(s.date()).isEqualTo(LocalDate.of(2025, 6, 3)));
    }

    /** An in-memory rf_rate store: date → versions, and every range written. */
    static final class FakeSink implements RfRateSink {
        final Map<LocalDate, StoredCurve> latest = new HashMap<>();
        final List<String> log = new ArrayList<>();
        long nextId = 1;

        @Override public Optional<StoredCurve> latest(LocalDate date) { return Optional.ofNullable(latest.get(date)); }

        @Override public long append(TreasuryCurve c, long version, Instant from, Instant to) {
            long id = nextId++;
            latest.put(c.date(), new StoredCurve(c.date(), version, id, c.tenors()));
            log.add("append " + c.date() + " v" + version + " id" + id);
            return id;
        }

        @Override public void writeRange(long payloadId, long version, Revision.Kind kind, TreasuryCurve c, MinuteSpans.Span span) {
            log.add("write " + c.date() + " id" + payloadId + " v" + version + " " + kind + " " + span.minutes());
        }
    }

    @Test
    void shouldBumpTheVersionOnlyWhenARepublishedCurveDiffers() {
        FakeSink sink = new FakeSink();
        TreasuryIngest.apply(List.of(curve("2025-03-06", "4.28"), curve("2025-03-07", "4.32")), Y2025, TradingCalendar::nyse, null, sink);
        assertThat(sink.log).containsExactly("append 2025-03-06 v1 id1", "write 2025-03-06 id1 v1 NEW 390",
                "append 2025-03-07 v1 id2", "write 2025-03-07 id2 v1 NEW 390");
        sink.log.clear();
        // Re-published: Thursday revised, Friday the same number spelt differently, Monday new.
        List<TreasuryIngest.Applied> a = TreasuryIngest.apply(
                List.of(curve("2025-03-06", "4.29"), curve("2025-03-07", "4.320"), curve("2025-03-10", "4.22")), Y2025, TradingCalendar::nyse, null, sink);
        assertThat(a).extracting(x -> x.revision().kind()).containsExactly(Revision.Kind.REVISED, Revision.Kind.UNCHANGED, Revision.Kind.NEW);
        assertThat(a).extracting(x -> x.revision().version()).containsExactly(2L, 1L, 1L);
        assertThat(sink.log).containsExactly("append 2025-03-06 v2 id3", "write 2025-03-06 id3 v2 REVISED 390",
                "write 2025-03-07 id2 v1 UNCHANGED 390", "append 2025-03-10 v1 id4", "write 2025-03-10 id4 v1 NEW 390");
        // Revised again: v3. A tenor appearing is a revision too.
        EnumMap<Tenor, BigDecimal> more = new EnumMap<>(Map.of(Tenor.Y10, new BigDecimal("4.29"), Tenor.M1, new BigDecimal("4.3")));
        TreasuryCurve withM1 = new TreasuryCurve(LocalDate.of(2025, 3, 6), RULE.effectiveTs(LocalDate.of(2025, 3, 6)), more, 0);
        assertThat(Revision.of(withM1, sink.latest(withM1.date())).version()).isEqualTo(3);
        // Superseded curves are neither stored nor written.
        sink.log.clear();
        TreasuryIngest.apply(List.of(curve("2025-04-17", "4.33"), curve("2025-04-18", "4.34")), Y2025, TradingCalendar::nyse, null, sink);
        assertThat(sink.log).containsExactly("append 2025-04-18 v1 id5", "write 2025-04-18 id5 v1 NEW 390");
    }

    static SlotView view(SlotKind k, SlotStatus st, long version) {
        return new SlotView(k, 0, 0, st, st == SlotStatus.FILLED ? k.accepts() : PayloadType.NONE, st == SlotStatus.FILLED ? 1 : 0, version, 0, 0, 2);
    }

    @Test
    void shouldAskForGreeksRecomputeExactlyWhenFilledVersionsDiffer() {
        assertThat(GreeksRecompute.needsGreeksRecompute(2, 1)).isTrue();
        assertThat(GreeksRecompute.needsGreeksRecompute(2, 2)).isFalse();
        SlotView rf2 = view(SlotKind.RF_RATE_REF, SlotStatus.FILLED, 2);
        assertThat(GreeksRecompute.state(rf2, view(SlotKind.GREEKS_REF, SlotStatus.FILLED, 1))).isEqualTo(GreeksRecompute.State.STALE);
        assertThat(GreeksRecompute.state(rf2, view(SlotKind.GREEKS_REF, SlotStatus.FILLED, 2))).isEqualTo(GreeksRecompute.State.CURRENT);
        assertThat(GreeksRecompute.state(rf2, view(SlotKind.GREEKS_REF, SlotStatus.EMPTY, 0))).isEqualTo(GreeksRecompute.State.NOT_COMPUTED);
        assertThat(GreeksRecompute.state(view(SlotKind.RF_RATE_REF, SlotStatus.CLEARED, 2), view(SlotKind.GREEKS_REF, SlotStatus.FILLED, 1)))
                .isEqualTo(GreeksRecompute.State.NO_RF_RATE);
    }

    @Test
    void shouldReadGreeksStalenessFromRealRowsAndCursors(@TempDir Path root) {
        try (TradeLedger t = TradeLedger.open(root, 2025, 4, 8, SlotMatrix.Options.defaults());
             EnrichmentLedger e = EnrichmentLedger.open(root, 2025, 4, 8, SlotMatrix.Options.defaults())) {
            for (int m = 0; m < 3; m++) t.setRfRateRef(1, m, new PayloadMeta(PayloadType.RF_RATE, 7, 2, 99, 1));
            e.setGreeksRef(1, 0, new PayloadMeta(PayloadType.GREEKS, 3, 2, 5, 1)); // current
            e.setGreeksRef(1, 1, new PayloadMeta(PayloadType.GREEKS, 4, 1, 5, 1)); // stale: computed with rf v1
            assertThat(GreeksRecompute.needsGreeksRecompute(t.getTradeRow(1, 0), e.getEnrichmentRow(1, 0))).isFalse();
            assertThat(GreeksRecompute.needsGreeksRecompute(t.getTradeRow(1, 1), e.getEnrichmentRow(1, 1))).isTrue();
            assertThat(GreeksRecompute.state(t.getTradeRow(1, 2), e.getEnrichmentRow(1, 2))).isEqualTo(GreeksRecompute.State.NOT_COMPUTED);
            List<String> states = new ArrayList<>();
            AtomicReference<GreeksRecompute.State> out = new AtomicReference<>();
            t.iterSymbol(1, 0, 4, tc -> {
                e.iterSymbol(1, tc.minuteIdx(), tc.minuteIdx() + 1, ec -> {
                    out.set(GreeksRecompute.state(tc, ec));
                    return true;
                });
                states.add(out.get().name());
                return true;
            });
            assertThat(states).containsExactly("CURRENT", "STALE", "NOT_COMPUTED", "NO_RF_RATE");
        }
    }
}
