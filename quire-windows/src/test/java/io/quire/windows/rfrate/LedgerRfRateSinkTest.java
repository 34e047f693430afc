package io.quire.windows.rfrate;

import io.quire.core.Entry;
import io.quire.core.Ledger;
import io.quire.windows.audit.AuditDrain;
import io.quire.windows.audit.AuditLimits;
import io.quire.windows.audit.AuditSpool;
import io.quire.windows.audit.WindowsAudit;
import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.mapping.MappingFiles;
import io.quire.windows.mapping.RfRatePayload;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotMatrix;
import io.quire.windows.slots.SlotStatus;
import io.quire.windows.slots.SlotView;
import io.quire.windows.slots.TradeLedger;
import io.quire.windows.treasury.EffectiveRule;
import io.quire.windows.treasury.Revision;
import io.quire.windows.treasury.Tenor;
import io.quire.windows.treasury.TreasuryCurve;
import io.quire.windows.treasury.TreasuryIngest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Treasury → slots over the real files: a curve lands in rf_rate.map with its curve_id, tenors
 * and version, and its payload id in rf_rate_ref of every chosen symbol × minute of its span,
 * with the version; a revision appends version 2, overwrites exactly those slots, is audited; a
 * re-run with equal values writes nothing new; a restarted sink remembers versions.
 */
class LedgerRfRateSinkTest {
    @TempDir Path dir;

    static final TradingCalendar Y2025 = TradingCalendar.nyse(2025);
    static final EffectiveRule RULE = EffectiveRule.nextSessionOpen();

    static TreasuryCurve curve(String date, String y10, String m3) {
        LocalDate d = LocalDate.parse(date);
        return new TreasuryCurve(d, RULE.effectiveTs(d), Map.of(Tenor.Y10, new BigDecimal(y10), Tenor.M3, new BigDecimal(m3)), 0);
    }

    @Test
    void shouldWriteCurvesIntoRfRateRefAndBumpVersionsOnRevision() {
        Ledger.init(dir);
        int minutes = Y2025.totalMinutes();
        int[] symbols = {0, 2};
        try (MappingFiles mf = MappingFiles.open(dir, 2025);
             WindowsAudit audit = new WindowsAudit(AuditSpool.create(dir), "treasury", id -> Optional.empty(), () -> 7L);
             TradeLedger t = TradeLedger.open(dir, 2025, 3, minutes, SlotMatrix.Options.defaults())) {
            LedgerRfRateSink sink = new LedgerRfRateSink(mf, t, () -> symbols, audit, () -> 7L);
            // Friday 2025-03-07's curve is effective Monday 03-10 09:30 New York, for that session.
            List<TreasuryIngest.Applied> a = TreasuryIngest.apply(List.of(curve("2025-03-07", "4.32", "4.30")), Y2025, TradingCalendar::nyse, null, sink);
            assertThat(a).hasSize(1);
            TreasuryIngest.Applied first = a.getFirst();
            assertThat(first.revision().kind()).isEqualTo(Revision.Kind.NEW);
            int from = first.validity().span().fromMinuteIdx(), to = first.validity().span().toMinuteIdx();
            assertThat(to - from).isEqualTo(390);
            assertThat(sink.lastWrite()).isEqualTo(new LedgerRfRateSink.WriteCounts(2 * 390, 0, 0));
            RfRatePayload p = mf.rfRate().read(first.payloadId());
            assertThat(p.curveId()).isEqualTo("UST-PAR-2025-03-07");
            assertThat(p.version()).isEqualTo(1);
            assertThat(p.rate("10 Yr")).hasValue(4.32);
            assertThat(p.rate("2 Mo")).as("missing tenor stays missing").isEmpty();
            for (int s : symbols) {
                for (int m : new int[] {from, to - 1}) {
                    SlotView v = t.read(SlotKind.RF_RATE_REF, s, m);
                    assertThat(v.status()).isEqualTo(SlotStatus.FILLED);
                    assertThat(v.payloadId()).isEqualTo(first.payloadId());
                    assertThat(v.version()).isEqualTo(1);
                    assertThat(mf.dereference(v.meta())).isEqualTo(p);
                }
            }
            assertThat(t.read(SlotKind.RF_RATE_REF, 1, from).status()).as("symbol not chosen").isEqualTo(SlotStatus.EMPTY);
            assertThat(t.read(SlotKind.RF_RATE_REF, 0, from - 1).status()).as("minute before valid_from").isEqualTo(SlotStatus.EMPTY);
            assertThat(t.read(SlotKind.RF_RATE_REF, 0, to).status()).as("minute at valid_to").isEqualTo(SlotStatus.EMPTY);

            // Same values (4.320 == 4.32): unchanged, nothing appended, every slot already current.
            TreasuryIngest.apply(List.of(curve("2025-03-07", "4.320", "4.3")), Y2025, TradingCalendar::nyse, null, sink);
            assertThat(mf.rfRate().count()).isEqualTo(1);
            assertThat(sink.lastWrite()).isEqualTo(new LedgerRfRateSink.WriteCounts(0, 2 * 390, 0));

            // A revision: version 2, the same slots now hold the new payload at version 2.
            List<TreasuryIngest.Applied> rev = TreasuryIngest.apply(List.of(curve("2025-03-07", "4.35", "4.30")), Y2025, TradingCalendar::nyse, null, sink);
            assertThat(rev.getFirst().revision().kind()).isEqualTo(Revision.Kind.REVISED);
            assertThat(rev.getFirst().revision().version()).isEqualTo(2);
            long id2 = rev.getFirst().payloadId();
            assertThat(id2).isEqualTo(2);
            assertThat(sink.lastWrite()).isEqualTo(new LedgerRfRateSink.WriteCounts(2 * 390, 0, 0));
            SlotView v = t.read(SlotKind.RF_RATE_REF, 2, from + 17);
            assertThat(v.payloadId()).isEqualTo(id2);
            assertThat(v.version()).isEqualTo(2);
            assertThat(((RfRatePayload) mf.dereference(v.meta())).rate("10 Yr")).hasValue(4.35);
        }
        // Restart: versions come back from rf_rate.map; the revision reached the audit trail.
        try (MappingFiles mf = MappingFiles.open(dir, 2025);
             TradeLedger t = TradeLedger.open(dir, 2025, 3, minutes, SlotMatrix.Options.defaults())) {
            LedgerRfRateSink sink = new LedgerRfRateSink(mf, t, () -> new int[] {0}, null, () -> 8L);
            assertThat(sink.latest(LocalDate.parse("2025-03-07")).orElseThrow().version()).isEqualTo(2);
            assertThat(sink.latest(LocalDate.parse("2025-03-07")).orElseThrow().payloadId()).isEqualTo(2);
            List<TreasuryIngest.Applied> again = TreasuryIngest.apply(List.of(curve("2025-03-07", "4.35", "4.30")), Y2025, TradingCalendar::nyse, null, sink);
            assertThat(again.getFirst().revision().kind()).isEqualTo(Revision.Kind.UNCHANGED);
        }
        try (Ledger core = Ledger.open(dir)) {
            AuditDrain.drain(core, dir);
            List<Entry> es = core.read(AuditLimits.STREAM, 0, 0, null);
            assertThat(es).extracting(Entry::key).containsExactly("treasury_revision");
            assertThat(new String(es.getFirst().payload(), StandardCharsets.UTF_8))
                    .contains("\"date\":\"2025-03-07\",\"curve_id\":\"UST-PAR-2025-03-07\",\"version\":2,\"previous_version\":1,\"payload_id\":2");
        }
    }

    @Test
    void shouldNameCurvesOneWayAndReadTheOlderLowerCaseIds() {
        LocalDate d = LocalDate.parse("2025-03-07");
        assertThat(TreasuryCurve.curveId(d)).isEqualTo("UST-PAR-2025-03-07");
        assertThat(TreasuryCurve.dateOfCurveId("UST-PAR-2025-03-07")).hasValue(d);
        assertThat(TreasuryCurve.dateOfCurveId("ust-par-2025-03-07")).hasValue(d);
        assertThat(TreasuryCurve.dateOfCurveId("SOFR-2025-03-07")).isEmpty();
        assertThat(TreasuryCurve.dateOfCurveId("UST-PAR-2025-02-30")).as("not a date").isEmpty();
        assertThat(TreasuryCurve.dateOfCurveId("UST-PAR-")).isEmpty();
        assertThat(TreasuryCurve.dateOfCurveId(null)).isEmpty();
    }

    @Test
    void shouldContinueAVersionHistoryStoredUnderTheOlderSpelling() {
        int minutes = Y2025.totalMinutes();
        try (MappingFiles mf = MappingFiles.open(dir, 2025)) {
            // What a sink wrote while the two sinks spelled the id differently: version 3 of 03-07.
            mf.rfRate().append(new RfRatePayload(0, "ust-par-2025-03-07", List.of(new RfRatePayload.Tenor("10 Yr", 4.1)), 3));
        }
        try (MappingFiles mf = MappingFiles.open(dir, 2025);
             TradeLedger t = TradeLedger.open(dir, 2025, 1, minutes, SlotMatrix.Options.defaults())) {
            LedgerRfRateSink sink = new LedgerRfRateSink(mf, t, () -> new int[] {0}, null, () -> 9L);
            assertThat(sink.latest(LocalDate.parse("2025-03-07")).orElseThrow().version()).isEqualTo(3);
            List<TreasuryIngest.Applied> rev = TreasuryIngest.apply(List.of(curve("2025-03-07", "4.35", "4.30")), Y2025, TradingCalendar::nyse, null, sink);
            assertThat(rev.getFirst().revision().kind()).isEqualTo(Revision.Kind.REVISED);
            assertThat(rev.getFirst().revision().version()).as("one history, not a second version 1").isEqualTo(4);
            assertThat(mf.rfRate().read(rev.getFirst().payloadId()).curveId()).isEqualTo("UST-PAR-2025-03-07");
        }
    }
}
