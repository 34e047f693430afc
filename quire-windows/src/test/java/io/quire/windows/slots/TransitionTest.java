package io.quire.windows.slots;

import io.quire.core.ErrorKind;
import io.quire.core.QuireException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.quire.windows.slots.SlotTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every cell of the transition table (Transitions), payload type enforcement, versions and
 * clear auditing, through the public ledgers.
 */
class TransitionTest {
    @TempDir Path dir;
    private final AtomicLong clock = new AtomicLong(1_000);
    private final List<ClearRecord> cleared = new ArrayList<>();
    private TradeLedger trade;
    private EnrichmentLedger enrich;

    @BeforeEach
    void open() {
        SlotAudit audit = new SlotAudit() {
            @Override public void onClear(ClearRecord r) { cleared.add(r); }
        };
        SlotMatrix.Options o = SlotMatrix.Options.defaults().withAudit(audit).withClock(clock::incrementAndGet);
        trade = TradeLedger.open(dir, YEAR, 8, 16, o);
        enrich = EnrichmentLedger.open(dir, YEAR, 8, 16, o);
    }

    @AfterEach
    void close() {
        trade.close();
        enrich.close();
    }

    private static PayloadMeta t(long id, long v) { return meta(PayloadType.TRADE, id, v); }

    /** Puts trade_ref of (0, min) into the given status at version 5. */
    private void prepare(int min, SlotStatus s) {
        switch (s) {
            case EMPTY -> {}
            case PENDING -> assertThat(trade.markPending(SlotKind.TRADE_REF, 0, min).ok()).isTrue();
            case FILLED -> assertThat(trade.setTradeRef(0, min, t(1, 5)).ok()).isTrue();
            case CLEARED -> {
                assertThat(trade.setTradeRef(0, min, t(1, 5)).ok()).isTrue();
                trade.clearSlot(SlotKind.TRADE_REF, 0, min, "prep", "test");
            }
        }
        assertThat(trade.read(SlotKind.TRADE_REF, 0, min).status()).isEqualTo(s);
    }

    @Test
    void shouldApplyEveryCellOfTheTransitionTable() {
        // from, op, expected status after (null = refused with the given reason)
        record Cell(SlotStatus from, String op, SlotStatus to, ConflictReason refused) {}
        List<Cell> table = List.of(
                new Cell(SlotStatus.EMPTY, "fill", SlotStatus.FILLED, null),
                new Cell(SlotStatus.EMPTY, "pend", SlotStatus.PENDING, null),
                new Cell(SlotStatus.EMPTY, "clear", SlotStatus.EMPTY, null),
                new Cell(SlotStatus.PENDING, "fill", SlotStatus.FILLED, null),
                new Cell(SlotStatus.PENDING, "pend", SlotStatus.PENDING, null),
                new Cell(SlotStatus.PENDING, "clear", SlotStatus.CLEARED, null),
                new Cell(SlotStatus.FILLED, "fill", SlotStatus.FILLED, null),
                new Cell(SlotStatus.FILLED, "fillSameVersion", null, ConflictReason.VERSION_NOT_ADVANCED),
                new Cell(SlotStatus.FILLED, "pend", null, ConflictReason.ILLEGAL_TRANSITION),
                new Cell(SlotStatus.FILLED, "clear", SlotStatus.CLEARED, null),
                new Cell(SlotStatus.CLEARED, "fill", SlotStatus.FILLED, null),
                new Cell(SlotStatus.CLEARED, "fillSameVersion", SlotStatus.FILLED, null),
                new Cell(SlotStatus.CLEARED, "pend", SlotStatus.PENDING, null),
                new Cell(SlotStatus.CLEARED, "clear", SlotStatus.CLEARED, null));
        int min = 0;
        for (Cell c : table) {
            prepare(min, c.from());
            SlotView before = trade.read(SlotKind.TRADE_REF, 0, min);
            SlotView after;
            SetResult r = switch (c.op()) {
                case "fill" -> trade.setTradeRef(0, min, t(2, 6));
                case "fillSameVersion" -> trade.setTradeRef(0, min, t(2, before.version()));
                case "pend" -> trade.markPending(SlotKind.TRADE_REF, 0, min);
                case "clear" -> {
                    ClearRecord cr = trade.clearSlot(SlotKind.TRADE_REF, 0, min, "cell " + c, "op");
                    assertThat(cr.before()).isEqualTo(before);
                    yield new SetResult.Ok(cr.after());
                }
                default -> throw new IllegalStateException(c.op());
            };
            after = trade.read(SlotKind.TRADE_REF, 0, min);
            if (c.refused() == null) {
                assertThat(r).as("%s", c).isInstanceOf(SetResult.Ok.class);
                assertThat(after.status()).as("%s", c).isEqualTo(c.to());
                assertThat(r.slot()).as("Ok carries what was published: %s", c).isEqualTo(after);
                assertThat(after.version()).as("versions never go down: %s", c).isGreaterThanOrEqualTo(before.version());
                if (c.to() != SlotStatus.FILLED) {
                    assertThat(after.payloadId()).isZero();
                    assertThat(after.payloadType()).isEqualTo(PayloadType.NONE);
                }
                boolean wrote = !(c.from() == SlotStatus.EMPTY && c.op().equals("clear"));
                assertThat(after.seq()).as("seq moves by 2 per published change: %s", c).isEqualTo(before.seq() + (wrote ? 2 : 0));
            } else {
                assertThat(r).as("%s", c).isInstanceOfSatisfying(SetResult.Conflict.class, k -> {
                    assertThat(k.reason()).isEqualTo(c.refused());
                    assertThat(k.slot()).as("conflict carries the current state").isEqualTo(before);
                    assertThat(k.detail()).isNotBlank();
                });
                assertThat(after).as("refusal writes nothing: %s", c).isEqualTo(before);
            }
            min++;
        }
    }

    @Test
    void shouldRefuseWrongPayloadTypeOnEverySetter() {
        PayloadMeta wrong = meta(PayloadType.GREEKS, 1, 1);
        assertThat(trade.setRfRateRef(0, 0, wrong)).isInstanceOfSatisfying(SetResult.Conflict.class, c -> assertThat(c.reason()).isEqualTo(ConflictReason.WRONG_PAYLOAD_TYPE));
        assertThat(trade.setTradeRef(0, 0, wrong)).isInstanceOfSatisfying(SetResult.Conflict.class, c -> assertThat(c.reason()).isEqualTo(ConflictReason.WRONG_PAYLOAD_TYPE));
        assertThat(trade.setQuoteRef(0, 0, wrong)).isInstanceOfSatisfying(SetResult.Conflict.class, c -> assertThat(c.reason()).isEqualTo(ConflictReason.WRONG_PAYLOAD_TYPE));
        assertThat(trade.setAggressorRef(0, 0, wrong)).isInstanceOfSatisfying(SetResult.Conflict.class, c -> assertThat(c.reason()).isEqualTo(ConflictReason.WRONG_PAYLOAD_TYPE));
        assertThat(enrich.setGreeksRef(0, 0, meta(PayloadType.AGGREGATE, 1, 1))).isInstanceOfSatisfying(SetResult.Conflict.class, c -> assertThat(c.reason()).isEqualTo(ConflictReason.WRONG_PAYLOAD_TYPE));
        for (AggWindow w : AggWindow.values())
            assertThat(enrich.setAggsRef(w, 0, 0, wrong)).isInstanceOfSatisfying(SetResult.Conflict.class, c -> {
                assertThat(c.reason()).isEqualTo(ConflictReason.WRONG_PAYLOAD_TYPE);
                assertThat(c.detail()).contains(w.slot().column()).contains("AGGREGATE");
            });
        // and the right type goes into exactly its column
        assertThat(trade.setRfRateRef(0, 0, meta(PayloadType.RF_RATE, 1, 1)).ok()).isTrue();
        assertThat(trade.setQuoteRef(0, 0, meta(PayloadType.QUOTE, 2, 1)).ok()).isTrue();
        assertThat(trade.setAggressorRef(0, 0, meta(PayloadType.AGGRESSOR, 3, 1)).ok()).isTrue();
        assertThat(enrich.setGreeksRef(0, 0, meta(PayloadType.GREEKS, 4, 1)).ok()).isTrue();
        assertThat(enrich.setAggsRef(AggWindow.H4, 0, 0, meta(PayloadType.AGGREGATE, 5, 1)).ok()).isTrue();
        TradeRow tr = trade.getTradeRow(0, 0);
        assertThat(tr.rfRateRef().payloadId()).isEqualTo(1);
        assertThat(tr.tradeRef().status()).isEqualTo(SlotStatus.EMPTY);
        assertThat(tr.quoteRef().payloadId()).isEqualTo(2);
        assertThat(tr.aggressorRef().payloadId()).isEqualTo(3);
        EnrichmentRow er = enrich.getEnrichmentRow(0, 0);
        assertThat(er.greeksRef().payloadId()).isEqualTo(4);
        assertThat(er.aggs(AggWindow.H4).payloadId()).isEqualTo(5);
        assertThat(er.aggs4h().meta()).isEqualTo(meta(PayloadType.AGGREGATE, 5, 1));
        assertThat(er.aggs1m().status()).isEqualTo(SlotStatus.EMPTY);
    }

    @Test
    void shouldRefuseMismatchedAndRegressedVersions() {
        assertThat(trade.setTradeRef(1, 1, t(1, 3), 0).ok()).isTrue();
        SetResult stale = trade.setTradeRef(1, 1, t(2, 4), 2);
        assertThat(stale).isInstanceOfSatisfying(SetResult.Conflict.class, c -> {
            assertThat(c.reason()).isEqualTo(ConflictReason.VERSION_MISMATCH);
            assertThat(c.slot().version()).isEqualTo(3);
            assertThat(c.slot().payloadId()).isEqualTo(1);
        });
        assertThat(trade.setTradeRef(1, 1, t(2, 2))).isInstanceOfSatisfying(SetResult.Conflict.class,
                c -> assertThat(c.reason()).isEqualTo(ConflictReason.VERSION_REGRESSED));
        assertThat(trade.setTradeRef(1, 1, t(2, 4), 3).ok()).isTrue();
        // a clear keeps the version, so a refill below it is still a regression
        trade.clearSlot(SlotKind.TRADE_REF, 1, 1, "rewind", "op");
        assertThat(trade.read(SlotKind.TRADE_REF, 1, 1).version()).isEqualTo(4);
        assertThat(trade.setTradeRef(1, 1, t(3, 3))).isInstanceOfSatisfying(SetResult.Conflict.class,
                c -> assertThat(c.reason()).isEqualTo(ConflictReason.VERSION_REGRESSED));
        assertThat(trade.setTradeRef(1, 1, t(3, 4), 4).ok()).isTrue();
    }

    @Test
    void shouldAuditClearsWithCauseOperatorAndClockTime() {
        assertThat(trade.setAggressorRef(2, 3, meta(PayloadType.AGGRESSOR, 9, 2)).ok()).isTrue();
        ClearRecord r = trade.clearSlot(SlotKind.AGGRESSOR_REF, 2, 3, "bad NBBO input", "alice");
        assertThat(cleared).containsExactly(r);
        assertThat(r.ledger()).isEqualTo(LedgerKind.TRADE);
        assertThat(r.before().payloadId()).isEqualTo(9);
        assertThat(r.after().status()).isEqualTo(SlotStatus.CLEARED);
        assertThat(r.after().lastUpdatedNs()).isEqualTo(r.atNs()).isGreaterThan(1_000);
        assertThat(r.cause()).isEqualTo("bad NBBO input");
        assertThat(r.operator()).isEqualTo("alice");
        ClearRecord e = trade.clearSlot(SlotKind.TRADE_REF, 7, 15, "never filled", "bob");
        assertThat(e.after().status()).isEqualTo(SlotStatus.EMPTY);
        assertThat(trade.matrix().isReserved(7)).as("clearing an Empty slot writes nothing").isFalse();
        assertThat(cleared).hasSize(2);
        assertThatThrownBy(() -> trade.clearSlot(SlotKind.TRADE_REF, 0, 0, " ", "bob")).isInstanceOf(QuireException.class).hasMessageContaining("cause");
        assertThatThrownBy(() -> trade.clearSlot(SlotKind.TRADE_REF, 0, 0, "x".repeat(SlotLimits.CAUSE_CHARS_MAX + 1), "bob")).hasMessageContaining("more than");
        trade.clearSlot(SlotKind.TRADE_REF, 0, 0, "x".repeat(SlotLimits.CAUSE_CHARS_MAX), "o".repeat(SlotLimits.OPERATOR_CHARS_MAX));
        assertThatThrownBy(() -> trade.clearSlot(SlotKind.TRADE_REF, 0, 0, "why", null)).hasMessageContaining("operator");
    }

    @Test
    void shouldThrowInvalidInputForBadArguments() {
        PayloadMeta m = t(1, 1);
        assertInvalid(() -> trade.setTradeRef(8, 0, m), "symbol_id 8");
        assertInvalid(() -> trade.setTradeRef(-1, 0, m), "symbol_id -1");
        assertInvalid(() -> trade.setTradeRef(0, 16, m), "minute_idx 16");
        assertInvalid(() -> trade.setTradeRef(0, -1, m), "minute_idx -1");
        assertInvalid(() -> trade.setTradeRef(0, 0, m, -5), "expected version");
        assertInvalid(() -> trade.setTradeRef(0, 0, m, SlotLimits.U32_MAX + 1), "expected version");
        assertInvalid(() -> trade.markPending(SlotKind.GREEKS_REF, 0, 0), "greeks_ref is a enrichment column");
        assertInvalid(() -> trade.getTradeRow(0, 16), "minute_idx");
        assertInvalid(() -> new PayloadMeta(PayloadType.TRADE, 0, 1, 0, 0), "payload_id 0");
        assertInvalid(() -> new PayloadMeta(PayloadType.TRADE, SlotLimits.U32_MAX + 1, 1, 0, 0), "payload_id");
        assertInvalid(() -> new PayloadMeta(PayloadType.TRADE, 1, SlotLimits.U32_MAX + 1, 0, 0), "version");
        assertInvalid(() -> new PayloadMeta(PayloadType.NONE, 1, 1, 0, 0), "NONE");
        // the edges themselves are fine
        assertThat(trade.setTradeRef(7, 15, new PayloadMeta(PayloadType.TRADE, SlotLimits.U32_MAX, SlotLimits.U32_MAX, -1, Long.MAX_VALUE)).ok()).isTrue();
        SlotView v = trade.read(SlotKind.TRADE_REF, 7, 15);
        assertThat(v.payloadId()).isEqualTo(SlotLimits.U32_MAX);
        assertThat(v.version()).isEqualTo(SlotLimits.U32_MAX);
        assertThat(v.checksum()).isEqualTo(-1);
        assertThat(v.lastUpdatedNs()).isEqualTo(Long.MAX_VALUE);
    }

    private static void assertInvalid(Runnable r, String text) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(QuireException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT))
                .hasMessageContaining(text);
    }
}
