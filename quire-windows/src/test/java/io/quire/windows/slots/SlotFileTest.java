package io.quire.windows.slots;

import io.quire.core.ErrorKind;
import io.quire.core.QuireException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

import static io.quire.windows.slots.SlotLayout.*;
import static io.quire.windows.slots.SlotTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Header validation, limits, the byte layout (golden bytes) and bit-flip detection. */
class SlotFileTest {
    @TempDir Path dir;

    private Path fresh() {
        Path f = SlotMatrix.pathFor(dir, YEAR, LedgerKind.TRADE);
        open(f, LedgerKind.TRADE, 3, 5).close();
        return f;
    }

    private static void patch(Path f, Consumer<ByteBuffer> edit, boolean fixCrc) throws Exception {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(b, 0);
            edit.accept(b);
            if (fixCrc) b.putInt(HDR_CRC_32, SlotHeader.crc(b));
            ch.write(b.clear(), 0);
        }
    }

    private void assertRefused(Path f, LedgerKind kind, int symbols, int minutes, ErrorKind ek, String text) {
        assertThatThrownBy(() -> SlotMatrix.open(f, kind, YEAR, symbols, minutes, SlotMatrix.Options.defaults()))
                .isInstanceOfSatisfying(QuireException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ek);
                    assertThat(e.where().file()).isEqualTo(f.toString());
                })
                .hasMessageContaining(text).hasMessageContaining(f.toString());
    }

    @Test
    void shouldRefuseBadMagicVersionCrcAndKindNamingTheFile() throws Exception {
        Path f = fresh();
        patch(f, b -> b.put(0, (byte) 'X'), true);
        assertRefused(f, LedgerKind.TRADE, 3, 5, ErrorKind.INTEGRITY, "bad magic");
        f = fresh2("v");
        patch(f, b -> b.putInt(HDR_FORMAT_VERSION_32, 2), true);
        assertRefused(f, LedgerKind.TRADE, 3, 5, ErrorKind.INTEGRITY, "format version 2 is not supported");
        f = fresh2("crc");
        patch(f, b -> b.putInt(HDR_YEAR_32, 2026), false);
        assertRefused(f, LedgerKind.TRADE, 3, 5, ErrorKind.INTEGRITY, "CRC32C");
        f = fresh2("kindcode");
        patch(f, b -> b.putInt(HDR_KIND_32, 9), true);
        assertRefused(f, LedgerKind.TRADE, 3, 5, ErrorKind.INTEGRITY, "unknown ledger kind code 9");
        f = fresh2("kind");
        assertRefused(f, LedgerKind.ENRICHMENT, 3, 5, ErrorKind.INVALID_INPUT, "is a trade ledger, opened as enrichment");
        assertRefused(f, LedgerKind.TRADE, 3, 6, ErrorKind.INVALID_INPUT, "minutes 5, opened with 6");
        assertRefused(f, LedgerKind.TRADE, 4, 5, ErrorKind.INVALID_INPUT, "symbols capacity 3, opened with 4");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 32);
        }
        assertRefused(f, LedgerKind.TRADE, 3, 5, ErrorKind.INTEGRITY, "truncated");
        Path tiny = dir.resolve("tiny.slots");
        Files.write(tiny, new byte[10]);
        assertRefused(tiny, LedgerKind.TRADE, 3, 5, ErrorKind.INTEGRITY, "shorter than");
        Path missing = dir.resolve("missing.slots");
        assertThatThrownBy(() -> SlotMatrix.open(missing, LedgerKind.TRADE, YEAR, 3, 5, SlotMatrix.Options.defaults().withCreate(false)))
                .isInstanceOfSatisfying(QuireException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    private Path fresh2(String name) {
        Path f = dir.resolve(name + ".slots");
        open(f, LedgerKind.TRADE, 3, 5).close();
        return f;
    }

    @Test
    void shouldEnforceLimitsAtTheirEdges() {
        open(dir.resolve("maxsym.slots"), LedgerKind.ENRICHMENT, SlotLimits.SYMBOLS_CAPACITY_MAX, 1).close();
        open(dir.resolve("maxmin.slots"), LedgerKind.ENRICHMENT, 1, SlotLimits.MINUTES_MAX).close();
        assertThatThrownBy(() -> open(dir.resolve("a.slots"), LedgerKind.TRADE, SlotLimits.SYMBOLS_CAPACITY_MAX + 1, 1)).hasMessageContaining("symbols capacity 10001");
        assertThatThrownBy(() -> open(dir.resolve("b.slots"), LedgerKind.TRADE, 1, SlotLimits.MINUTES_MAX + 1)).hasMessageContaining("minutes " + (SlotLimits.MINUTES_MAX + 1));
        assertThatThrownBy(() -> open(dir.resolve("c.slots"), LedgerKind.TRADE, 0, 1)).hasMessageContaining("symbols capacity 0");
        assertThatThrownBy(() -> SlotMatrix.open(dir.resolve("d.slots"), LedgerKind.TRADE, 1899, 1, 1, SlotMatrix.Options.defaults())).hasMessageContaining("year 1899");
        assertThat(Files.exists(dir.resolve("a.slots"))).as("nothing written on a refusal").isFalse();
        // the largest symbol id is usable (reservation bit 9999 of the bitmap)
        try (TradeLedger l = new TradeLedger(open(dir.resolve("edge.slots"), LedgerKind.TRADE, SlotLimits.SYMBOLS_CAPACITY_MAX, 1))) {
            assertThat(l.setTradeRef(SlotLimits.SYMBOLS_CAPACITY_MAX - 1, 0, meta(PayloadType.TRADE, 1, 1)).ok()).isTrue();
            assertThat(l.matrix().isReserved(SlotLimits.SYMBOLS_CAPACITY_MAX - 1)).isTrue();
            assertThat(l.matrix().isReserved(SlotLimits.SYMBOLS_CAPACITY_MAX - 2)).isFalse();
        }
    }

    @Test
    void shouldRefuseASecondOpenOfTheSameFileInOneProcessAndPersistAcrossReopen() {
        Path f = fresh();
        try (TradeLedger l = new TradeLedger(open(f, LedgerKind.TRADE, 3, 5))) {
            assertThatThrownBy(() -> open(f, LedgerKind.TRADE, 3, 5)).isInstanceOfSatisfying(QuireException.class,
                    e -> assertThat(e.code()).isEqualTo("already_open"));
            l.setQuoteRef(2, 4, meta(PayloadType.QUOTE, 42, 7));
            l.close();
            l.close(); // idempotent
            assertThatThrownBy(() -> l.read(SlotKind.QUOTE_REF, 2, 4)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        }
        try (TradeLedger l = new TradeLedger(open(f, LedgerKind.TRADE, 3, 5))) {
            assertThat(l.read(SlotKind.QUOTE_REF, 2, 4).meta()).isEqualTo(meta(PayloadType.QUOTE, 42, 7));
            assertThat(l.matrix().session()).as("third open of the file").isEqualTo(3);
        }
        assertThatThrownBy(() -> new EnrichmentLedger(open(f, LedgerKind.TRADE, 3, 5))).hasMessageContaining("not enrichment");
    }

    /** Golden bytes: the header of a fresh (trade, 2025, 3 symbols, 5 minutes) file and one slot. */
    @Test
    void shouldMatchTheGoldenBytesOfHeaderAndSlot() throws Exception {
        Path f = fresh(); // session 1 closed
        try (TradeLedger l = new TradeLedger(open(f, LedgerKind.TRADE, 3, 5))) { // session 2
            l.setTradeRef(1, 2, new PayloadMeta(PayloadType.TRADE, 0x0102_0304L, 7, 0xCAFE_BABE, 0x1122_3344_5566_7788L));
        }
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        HexFormat hex = HexFormat.of();
        assertThat(hex.formatHex(all.array(), 0, 64)).isEqualTo(
                "51534c4f54533031" + "01000000" + "01000000" + "e9070000" + "03000000" + "05000000" + "80000000" + "04000000" + "20000000"
                        + "0010000000000000" + "8017000000000000" + "00000000" + GOLDEN_HEADER_CRC);
        assertThat(all.getLong(HDR_SESSIONS_OPENED_64)).isEqualTo(2);
        assertThat(all.getLong(HDR_SESSIONS_CLOSED_64)).isEqualTo(2);
        assertThat(all.getLong(HDR_BITMAP_OFFSET)).as("symbol 1 reserved").isEqualTo(0b10);
        int off = HEADER_BYTES + (1 * 5 + 2) * 128 + 32; // symbol 1, minute 2, slot trade_ref
        assertThat(hex.formatHex(all.array(), off, off + 32)).isEqualTo(
                "0200000000020000" // word: seq 2, owner session 2
                        + "02" + "02" + GOLDEN_SLOT_CHECK + "04030201" // ptype TRADE, status FILLED, check, payload_id
                        + "07000000" + "bebafeca" // version, checksum
                        + "8877665544332211"); // last_updated_ns
        // decode by the documented offsets
        assertThat(all.get(off + 8)).isEqualTo((byte) PayloadType.TRADE.code());
        assertThat(all.get(off + 9)).isEqualTo((byte) SlotStatus.FILLED.code());
        assertThat(all.getInt(off + 12)).isEqualTo(0x0102_0304);
        assertThat(all.getInt(off + 16)).isEqualTo(7);
    }

    static final String GOLDEN_HEADER_CRC = "ba35ad41";
    static final String GOLDEN_SLOT_CHECK = "8e0f";

    /**
     * Invariants checked: flipping any single bit of a filled slot (bits 1..255; bit 0 would mark
     * a write in progress) makes its read fail with INTEGRITY naming file and offset, and
     * verifyAndRepair resets it to CLEARED with reason INVALID_CONTENT.
     */
    @Test
    void shouldRejectEverySingleBitFlipOfASlot() throws Exception {
        Path f = fresh();
        int off = HEADER_BYTES + 32;
        try (TradeLedger l = new TradeLedger(open(f, LedgerKind.TRADE, 3, 5));
             FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            l.setTradeRef(0, 0, meta(PayloadType.TRADE, 123456, 3));
            List<Integer> missed = new ArrayList<>();
            for (int bit = 1; bit < 256; bit++) {
                flip(ch, off, bit);
                try {
                    l.read(SlotKind.TRADE_REF, 0, 0);
                    missed.add(bit);
                } catch (QuireException e) {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY);
                    assertThat(e.where().offset()).isEqualTo(off);
                    assertThat(e.getMessage()).contains(f.toString()).contains("trade_ref");
                }
                flip(ch, off, bit);
            }
            assertThat(missed).as("bits whose flip went unnoticed").isEmpty();
            flip(ch, off, 77);
            RepairReport rep = l.matrix().verifyAndRepair();
            assertThat(rep.repairs()).isEqualTo(1);
            assertThat(rep.records().getFirst().reason()).isEqualTo(RepairRecord.Reason.INVALID_CONTENT);
            assertThat(l.read(SlotKind.TRADE_REF, 0, 0).status()).isEqualTo(SlotStatus.CLEARED);
        }
    }

    private static void flip(FileChannel ch, long off, int bit) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(1);
        ch.read(b, off + bit / 8);
        b.put(0, (byte) (b.get(0) ^ (1 << (bit % 8))));
        ch.write(b.clear(), off + bit / 8);
    }
}
