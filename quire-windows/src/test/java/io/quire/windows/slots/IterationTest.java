package io.quire.windows.slots;

import io.quire.core.QuireException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.quire.windows.slots.SlotTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IterationTest {
    static final int SYMBOLS = 5;
    static final int MINUTES = 9;

    @TempDir Path dir;

    /** payload id encodes (symbol, minute, slot) so a visit proves which slot memory it read. */
    private static long id(int s, int m, int k) { return 1 + s * 1000L + m * 10L + k; }

    private EnrichmentLedger filled() {
        EnrichmentLedger l = EnrichmentLedger.open(dir, YEAR, SYMBOLS, MINUTES, SlotMatrix.Options.defaults());
        for (int s = 0; s < SYMBOLS; s++)
            for (int m = 0; m < MINUTES; m++) {
                l.setGreeksRef(s, m, meta(PayloadType.GREEKS, id(s, m, 0), 1));
                for (AggWindow w : AggWindow.values()) l.setAggsRef(w, s, m, meta(PayloadType.AGGREGATE, id(s, m, w.slot().index()), 1));
            }
        return l;
    }

    @Test
    void shouldWalkASymbolInMinuteOrderWithinTheRange() {
        try (EnrichmentLedger l = filled()) {
            List<Integer> seen = new ArrayList<>();
            long n = l.iterSymbol(3, 2, 7, row -> {
                assertThat(row.symbolId()).isEqualTo(3);
                for (SlotKind k : SlotKind.of(LedgerKind.ENRICHMENT)) assertThat(row.payloadId(k)).isEqualTo(id(3, row.minuteIdx(), k.index()));
                seen.add(row.minuteIdx());
                return true;
            });
            assertThat(seen).containsExactly(2, 3, 4, 5, 6);
            assertThat(n).isEqualTo(5);
            assertThat(l.iterSymbol(3, 4, 4, row -> { throw new AssertionError("empty range"); })).isZero();
            assertThat(l.iterSymbol(0, 0, MINUTES, row -> row.minuteIdx() < 2)).as("stops when the visitor says so").isEqualTo(3);
        }
    }

    @Test
    void shouldWalkAMinuteInSymbolOrderWithinTheRange() {
        try (EnrichmentLedger l = filled()) {
            List<Integer> seen = new ArrayList<>();
            RowCursor[] first = new RowCursor[1];
            l.iterMinute(8, 1, 5, row -> {
                if (first[0] == null) first[0] = row;
                assertThat(row).as("one reused flyweight").isSameAs(first[0]);
                assertThat(row.minuteIdx()).isEqualTo(8);
                assertThat(row.payloadId(SlotKind.AGGS_4H)).isEqualTo(id(row.symbolId(), 8, 6));
                assertThat(row.status(SlotKind.GREEKS_REF)).isEqualTo(SlotStatus.FILLED);
                assertThat(row.view(SlotKind.AGGS_1M).meta()).isEqualTo(meta(PayloadType.AGGREGATE, id(row.symbolId(), 8, 1), 1));
                seen.add(row.symbolId());
                return true;
            });
            assertThat(seen).containsExactly(1, 2, 3, 4);
        }
    }

    @Test
    void shouldRefuseRangesOutsideTheMatrix() {
        try (EnrichmentLedger l = filled()) {
            RowVisitor v = row -> true;
            assertThatThrownBy(() -> l.iterSymbol(0, 0, MINUTES + 1, v)).isInstanceOf(QuireException.class).hasMessageContaining("minute range [0, 10)");
            assertThatThrownBy(() -> l.iterSymbol(0, 5, 4, v)).hasMessageContaining("minute range [5, 4)");
            assertThatThrownBy(() -> l.iterSymbol(SYMBOLS, 0, 1, v)).hasMessageContaining("symbol_id 5");
            assertThatThrownBy(() -> l.iterMinute(0, -1, 2, v)).hasMessageContaining("symbol range [-1, 2)");
            assertThatThrownBy(() -> l.iterMinute(MINUTES, 0, 1, v)).hasMessageContaining("minute_idx 9");
            assertThat(l.iterMinute(0, 0, SYMBOLS, v)).isEqualTo(SYMBOLS);
        }
    }
}
