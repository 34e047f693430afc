package io.quire.windows.mapping;

import io.quire.core.ErrorKind;
import io.quire.core.QuireException;
import io.quire.windows.slots.PayloadMeta;
import io.quire.windows.slots.PayloadType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Round trips, dense ids, recovery (torn tails, corruption), checksums on dereference, bad input, locking. */
class MappingFileTest {
    static final int YEAR = 2025;

    @TempDir Path tmp;

    Path tradeFile() { return MappingFile.fileIn(tmp, YEAR, PayloadType.TRADE); }

    static TradePayload trade(long i) { return (TradePayload) Samples.forIndex(PayloadType.TRADE, i); }

    static MappingFile<TradePayload> openTrade(Path f) { return MappingFile.open(f, YEAR, TradePayloadCodec.INSTANCE); }

    /** Appends trades 1..n one at a time and returns the frame offsets (index i → payload_id i + 1). */
    static long[] fill(MappingFile<TradePayload> m, int n) {
        long[] offsets = new long[n];
        for (int i = 0; i < n; i++) {
            Appended a = m.append(trade(i + 1));
            assertThat(a.payloadId()).isEqualTo(i + 1);
            offsets[i] = a.offset();
        }
        return offsets;
    }

    static QuireException thrown(Runnable r) {
        try {
            r.run();
        } catch (QuireException e) {
            return e;
        }
        throw new AssertionError("expected a QuireException");
    }

    static void write(Path f, long offset, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes), offset);
        }
    }

    static void truncate(Path f, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    @Test
    void shouldAppendAndReadBackEveryPayloadTypeWithDenseIdsFromOne() {
        List<List<Appended>> appended = new ArrayList<>();
        try (MappingFiles mf = MappingFiles.open(tmp, YEAR)) {
            for (PayloadType t : Samples.TYPES) {
                List<Appended> as = new ArrayList<>();
                for (int i = 1; i <= 20; i++) as.add(mf.append(Samples.forIndex(t, i)));
                List<PayloadRecord> batch = new ArrayList<>();
                for (int i = 21; i <= 40; i++) batch.add(Samples.forIndex(t, i));
                @SuppressWarnings({"unchecked", "rawtypes"})
                List<Appended> more = ((MappingFile) mf.file(t)).appendAll(batch);
                as.addAll(more);
                for (int i = 0; i < as.size(); i++) {
                    Appended a = as.get(i);
                    assertThat(a.payloadId()).isEqualTo(i + 1);
                    assertThat(a.type()).isEqualTo(t);
                    assertThat(a.schemaVersion()).isEqualTo(t == PayloadType.AGGREGATE ? AggregatePayloadCodec.SCHEMA_VERSION : 1);
                    PayloadMeta meta = a.meta(7, 123);
                    assertThat(mf.dereference(meta)).isEqualTo(Samples.forIndex(t, i + 1));
                }
                assertThat(mf.file(t).count()).isEqualTo(40);
                appended.add(as);
            }
            assertThat(mf.trade().read(5)).isEqualTo(Samples.forIndex(PayloadType.TRADE, 5));
            assertThat(mf.recoveries()).isEmpty();
        }
        assertThat(tmp.resolve("windows/2025").toFile().list()).containsExactlyInAnyOrder(
                "rf_rate.map", "trade.map", "quote.map", "aggressor.map", "greeks.map", "aggregate.map");
        try (MappingFiles mf = MappingFiles.openReadOnly(tmp, YEAR)) {
            for (int k = 0; k < Samples.TYPES.size(); k++) {
                PayloadType t = Samples.TYPES.get(k);
                assertThat(mf.file(t).count()).isEqualTo(40);
                for (Appended a : appended.get(k)) assertThat(mf.file(t).read(a.payloadId(), a.checksum())).isEqualTo(Samples.forIndex(t, a.payloadId()));
            }
        }
        try (MappingFiles mf = MappingFiles.open(tmp, YEAR)) {
            assertThat(mf.greeks().append((GreeksPayload) Samples.golden(PayloadType.GREEKS)).payloadId()).isEqualTo(41);
        }
    }

    static byte[] goldenFile() throws IOException {
        try (InputStream in = MappingFileTest.class.getResourceAsStream("/golden/mapping/trade-v1-2025.map")) {
            if (in == null) throw new AssertionError("missing golden file trade-v1-2025.map (-Dquire.golden.write)");
            return in.readAllBytes();
        }
    }

    /** A whole file: header and two records, decoded from the golden bytes and rebuilt byte for byte. */
    @Test
    void shouldReadTheGoldenFileAndWriteTheSameBytes() throws IOException {
        TradePayload g = (TradePayload) Samples.golden(PayloadType.TRADE);
        try (MappingFile<TradePayload> m = openTrade(tradeFile())) {
            m.append(g);
            m.appendAll(List.of(trade(2)));
        }
        PayloadCodecTest.maybeWriteGolden("trade-v1-2025.map", Files.readAllBytes(tradeFile()));
        byte[] golden = goldenFile();
        assertThat(Files.readAllBytes(tradeFile())).isEqualTo(golden);
        Path copy = tmp.resolve("golden.map");
        Files.write(copy, golden);
        try (MappingFile<TradePayload> m = MappingFile.openReadOnly(copy, YEAR, TradePayloadCodec.INSTANCE)) {
            assertThat(m.count()).isEqualTo(2);
            assertThat(m.read(1, MappingLayout.bodyChecksum(TradePayloadCodec.INSTANCE.encode(g)))).isEqualTo(g);
            assertThat(m.read(2)).isEqualTo(trade(2));
        }
        // Header and first frame as the table says.
        assertThat(Samples.hex(Arrays.copyOfRange(golden, 0, 16))).startsWith("514d4150" + "0001" + "02" + "00" + "07e9" + "0000");
        byte[] body = TradePayloadCodec.INSTANCE.encode(g);
        assertThat(Samples.hex(Arrays.copyOfRange(golden, 16, 20))).isEqualTo(String.format("%08x", body.length));
        assertThat(Samples.hex(Arrays.copyOfRange(golden, 24, 32))).isEqualTo("00000001" + "0001" + "0000");
        assertThat(Arrays.copyOfRange(golden, 32, 32 + body.length)).isEqualTo(body);
    }

    /**
     * Invariants checked: a file cut at every byte of its last record (a single append) opens with
     * that record's bytes reported as a torn tail and truncated, every earlier record intact, and
     * the next append gets the lost id.
     */
    @Test
    void shouldTruncateATornTailCutAtEveryByteOfTheLastRecord() throws IOException {
        long[] offsets;
        try (MappingFile<TradePayload> m = openTrade(tradeFile())) {
            offsets = fill(m, 6);
        }
        byte[] full = Files.readAllBytes(tradeFile());
        long last = offsets[5];
        for (long c = last + 1; c < full.length; c++) {
            long cut = c;
            Path f = tmp.resolve("cut.map");
            Files.write(f, Arrays.copyOf(full, (int) cut));
            try (MappingFile<TradePayload> m = openTrade(f)) {
                assertThat(m.recovery()).as("cut at %d", cut).hasValueSatisfying(r -> {
                    assertThat(r.tornOffset()).isEqualTo(last);
                    assertThat(r.tornBytes()).isEqualTo(cut - last);
                    assertThat(r.truncated()).isTrue();
                });
                assertThat(m.count()).isEqualTo(5);
                for (int i = 1; i <= 5; i++) assertThat(m.read(i)).isEqualTo(trade(i));
                assertThat(Files.size(f)).isEqualTo(last);
                assertThat(m.append(trade(6)).payloadId()).isEqualTo(6);
            }
            assertThat(Files.readAllBytes(f)).isEqualTo(full);
        }
        // Cut exactly at a record boundary: clean.
        Files.write(tmp.resolve("cut.map"), Arrays.copyOf(full, (int) last));
        try (MappingFile<TradePayload> m = openTrade(tmp.resolve("cut.map"))) {
            assertThat(m.recovery()).isEmpty();
            assertThat(m.count()).isEqualTo(5);
        }
    }

    @Test
    void shouldTreatAZeroFilledOrGarbageTailAsTornAndAReadOnlyOpenLeavesItAlone() throws IOException {
        try (MappingFile<TradePayload> m = openTrade(tradeFile())) {
            fill(m, 3);
        }
        long size = Files.size(tradeFile());
        write(tradeFile(), size, new byte[5000]); // a preallocated or unwritten extent after power loss
        try (MappingFile<TradePayload> m = MappingFile.openReadOnly(tradeFile(), YEAR, TradePayloadCodec.INSTANCE)) {
            assertThat(m.recovery()).hasValueSatisfying(r -> assertThat(r.truncated()).isFalse());
            assertThat(m.count()).isEqualTo(3);
        }
        assertThat(Files.size(tradeFile())).isEqualTo(size + 5000);
        try (MappingFile<TradePayload> m = openTrade(tradeFile())) {
            assertThat(m.recovery()).hasValueSatisfying(r -> {
                assertThat(r.tornOffset()).isEqualTo(size);
                assertThat(r.reason()).contains("body length of 0");
                assertThat(r.toString()).contains("truncated a torn tail of 5000 bytes at offset " + size);
            });
        }
        assertThat(Files.size(tradeFile())).isEqualTo(size);
    }

    /**
     * Invariants checked: flipping any single bit of a record that has an intact record after it
     * makes open refuse with INTEGRITY naming the file, that record's offset and payload id, and
     * leaves the file unchanged.
     */
    @Test
    void shouldRefuseAFlippedBitInAnEarlierRecordNamingItsOffset() throws IOException {
        long[] offsets;
        try (MappingFile<TradePayload> m = openTrade(tradeFile())) {
            offsets = fill(m, 5);
        }
        byte[] full = Files.readAllBytes(tradeFile());
        int victim = 2; // payload_id 3
        Path f = tmp.resolve("flip.map");
        for (long bit = offsets[victim] * 8; bit < offsets[victim + 1] * 8; bit++) {
            byte[] b = full.clone();
            b[(int) (bit / 8)] ^= (byte) (1 << (bit % 8));
            Files.write(f, b);
            QuireException e = thrown(() -> openTrade(f).close());
            assertThat(e.kind()).as("bit %d", bit).isEqualTo(ErrorKind.INTEGRITY);
            assertThat(e.where().offset()).as("bit %d: %s", bit, e.getMessage()).isEqualTo(offsets[victim]);
            assertThat(e.where().file()).isEqualTo(f.toString());
            assertThat(e.getMessage()).contains("flip.map").contains("payload_id 3").contains("Restore the file from a backup");
            assertThat(Files.readAllBytes(f)).isEqualTo(b);
        }
    }

    @Test
    void shouldRefuseDamageWithMoreThanOneAppendAfterIt() throws IOException {
        long first;
        try (MappingFile<TradePayload> m = openTrade(tradeFile())) {
            first = m.append(trade(1)).offset();
            // Enough bytes after record 1 that no single append could have torn it: > APPEND_BYTES_MAX.
            TradePayload big = new TradePayload("x".repeat(MappingLimits.ARTIFACT_BYTES_MAX), 0, 0, 0, 0, 0);
            List<TradePayload> batch = new ArrayList<>();
            for (int i = 0; i < MappingLimits.RECORDS_PER_APPEND_MAX; i++) batch.add(big);
            long target = MappingLimits.APPEND_BYTES_MAX;
            while (m.fileBytes() - first <= target) m.appendAll(batch);
        }
        // Zero everything from record 1 on: nothing intact follows, but far more bytes than one
        // append could tear, so this is corruption, not a torn tail.
        byte[] b = Files.readAllBytes(tradeFile());
        Arrays.fill(b, (int) first, b.length, (byte) 0);
        Files.write(tradeFile(), b);
        QuireException e = thrown(() -> openTrade(tradeFile()).close());
        assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY);
        assertThat(e.where().offset()).isEqualTo(first);
        assertThat(e.getMessage()).contains("more than one append").contains("payload_id 1");
    }

    /** Writes a record with a valid frame CRC but the given id / schema, at the end of the file. */
    static void appendForged(Path f, long id, int schema, byte[] body) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16 + body.length);
        b.putInt(body.length).putInt(0).putInt((int) id).putShort((short) schema).putShort((short) 0).put(body);
        b.putInt(4, MappingLayout.frameCrc(b.array(), 0, body.length));
        write(f, Files.size(f), b.array());
    }

    @Test
    void shouldRefuseAnIntactRecordWithTheWrongIdAndReportNewerSchemasOnRead() throws IOException {
        try (MappingFile<TradePayload> m = openTrade(tradeFile())) {
            fill(m, 2);
        }
        long size = Files.size(tradeFile());
        byte[] body = TradePayloadCodec.INSTANCE.encode(trade(3));
        appendForged(tradeFile(), 3, 2, body); // schema 2: a newer Quire wrote it
        try (MappingFile<TradePayload> m = openTrade(tradeFile())) {
            assertThat(m.count()).isEqualTo(3);
            QuireException e = thrown(() -> m.read(3));
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
            assertThat(e.code()).isEqualTo("schema_too_new");
            assertThat(e.where().offset()).isEqualTo(size);
            assertThat(e.getMessage()).contains("trade.map: payload_id 3 at offset " + size);
        }
        appendForged(tradeFile(), 9, 1, body);
        QuireException e = thrown(() -> openTrade(tradeFile()).close());
        assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY);
        assertThat(e.getMessage()).contains("holds payload_id 9 where 4 was expected");
    }

    @Test
    void shouldTreatABodyLengthOverTheMaxAsDamageAndAtTheMaxAsValid() throws IOException {
        try (MappingFile<TradePayload> m = openTrade(tradeFile())) {
            fill(m, 2);
        }
        long size = Files.size(tradeFile());
        byte[] atMax = new byte[MappingLimits.BODY_BYTES_MAX];
        appendForged(tradeFile(), 3, 1, atMax); // a verified frame: indexed; its body fails to decode on read
        try (MappingFile<TradePayload> m = openTrade(tradeFile())) {
            assertThat(m.count()).isEqualTo(3);
            assertThat(thrown(() -> m.read(3)).code()).isEqualTo("payload_malformed");
        }
        appendForged(tradeFile(), 4, 1, new byte[MappingLimits.BODY_BYTES_MAX + 1]);
        try (MappingFile<TradePayload> m = openTrade(tradeFile())) {
            assertThat(m.count()).isEqualTo(3);
            assertThat(m.recovery()).hasValueSatisfying(r -> assertThat(r.reason()).contains("body length of 4097"));
        }
        assertThat(Files.size(tradeFile())).isEqualTo(size + 16 + MappingLimits.BODY_BYTES_MAX);
    }

    @Test
    void shouldRefuseADereferenceWhoseChecksumDoesNotMatch() {
        try (MappingFile<TradePayload> m = openTrade(tradeFile())) {
            fill(m, 3);
            Appended a = m.append(trade(4));
            assertThat(a.checksum()).isEqualTo(MappingLayout.bodyChecksum(TradePayloadCodec.INSTANCE.encode(trade(4))));
            QuireException e = thrown(() -> m.read(4, a.checksum() ^ 1));
            assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY);
            assertThat(e.code()).isEqualTo("checksum_mismatch");
            assertThat(e.where().file()).isEqualTo(tradeFile().toString());
            assertThat(e.where().offset()).isEqualTo(a.offset());
            assertThat(e.getMessage()).contains("payload_id 4").contains("offset " + a.offset());
            // A slot pointing at the wrong id (with another payload's checksum) is caught the same way.
            Appended three = new Appended(PayloadType.TRADE, 3, a.checksum(), 1, 0);
            assertThat(thrown(() -> m.read(three.payloadId(), three.checksum())).kind()).isEqualTo(ErrorKind.INTEGRITY);
        }
    }

    @Test
    void shouldDetectBytesDamagedAfterOpenOnRead() throws IOException {
        try (MappingFile<TradePayload> m = openTrade(tradeFile())) {
            long[] offsets = fill(m, 3);
            write(tradeFile(), offsets[1] + 40, new byte[] {(byte) 0xFF});
            QuireException e = thrown(() -> m.read(2));
            assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY);
            assertThat(e.where().offset()).isEqualTo(offsets[1]);
            assertThat(e.getMessage()).contains("payload_id 2: frame CRC32C mismatch");
            assertThat(m.read(3)).isEqualTo(trade(3));
        }
    }

    @Test
    void shouldRefuseBadIdsAndOversizedBatchesWritingNothing() throws IOException {
        try (MappingFile<TradePayload> m = openTrade(tradeFile())) {
            fill(m, 2);
            for (long id : new long[] {0, -1, Long.MIN_VALUE, MappingLimits.PAYLOAD_ID_MAX + 1}) {
                QuireException e = thrown(() -> m.read(id, 0));
                assertThat(e.kind()).as("id %d", id).isEqualTo(ErrorKind.INVALID_INPUT);
                assertThat(e.code()).isEqualTo("payload_id_invalid");
            }
            for (long id : new long[] {3, MappingLimits.PAYLOAD_ID_MAX}) {
                QuireException e = thrown(() -> m.read(id));
                assertThat(e.kind()).as("id %d", id).isEqualTo(ErrorKind.NOT_FOUND);
                assertThat(e.getMessage()).contains("payload_id " + id + " does not exist (2 records)");
            }
            long size = Files.size(tradeFile());
            List<TradePayload> over = new ArrayList<>();
            for (int i = 0; i <= MappingLimits.RECORDS_PER_APPEND_MAX; i++) over.add(trade(i + 1));
            QuireException e = thrown(() -> m.appendAll(over));
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
            assertThat(e.getMessage()).contains("RECORDS_PER_APPEND_MAX");
            assertThat(Files.size(tradeFile())).isEqualTo(size);
            List<Appended> max = m.appendAll(over.subList(0, MappingLimits.RECORDS_PER_APPEND_MAX));
            assertThat(max).hasSize(MappingLimits.RECORDS_PER_APPEND_MAX);
            assertThat(max.getFirst().payloadId()).isEqualTo(3);
            assertThat(max.getLast().payloadId()).isEqualTo(2 + MappingLimits.RECORDS_PER_APPEND_MAX);
            assertThat(m.appendAll(List.of())).isEmpty();
        }
        assertThat(thrown(() -> MappingFile.fileIn(tmp, 1999, PayloadType.TRADE)).kind()).isEqualTo(ErrorKind.INVALID_INPUT);
        assertThat(thrown(() -> MappingFile.fileIn(tmp, YEAR, PayloadType.NONE)).kind()).isEqualTo(ErrorKind.INVALID_INPUT);
        assertThat(thrown(() -> Codec.forType(PayloadType.NONE)).kind()).isEqualTo(ErrorKind.INVALID_INPUT);
    }

    @Test
    void shouldAllowOneAppenderAndAnyReadOnlyOpenersThatRefreshToSeeNewRecords() {
        try (MappingFile<TradePayload> m = openTrade(tradeFile())) {
            fill(m, 2);
            QuireException e = thrown(() -> openTrade(tradeFile()).close());
            assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT);
            assertThat(e.code()).isEqualTo("locked");
            try (MappingFile<TradePayload> r = MappingFile.openReadOnly(tradeFile(), YEAR, TradePayloadCodec.INSTANCE)) {
                assertThat(r.readOnly()).isTrue();
                assertThat(r.count()).isEqualTo(2);
                m.appendAll(List.of(trade(3), trade(4)));
                assertThat(thrown(() -> r.read(3)).kind()).isEqualTo(ErrorKind.NOT_FOUND);
                assertThat(r.refresh()).isEqualTo(2);
                assertThat(r.read(4)).isEqualTo(trade(4));
                assertThat(r.refresh()).isZero();
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.append(trade(5))).isInstanceOf(IllegalStateException.class);
            }
        }
        // Closed: the lock is released.
        try (MappingFile<TradePayload> m = openTrade(tradeFile())) {
            assertThat(m.count()).isEqualTo(4);
        }
        assertThat(thrown(() -> MappingFile.openReadOnly(tmp.resolve("nope.map"), YEAR, TradePayloadCodec.INSTANCE)).kind())
                .isEqualTo(ErrorKind.NOT_FOUND);
    }

    @Test
    void shouldRefuseAFileOfAnotherTypeYearOrFormat() throws IOException {
        try (MappingFile<TradePayload> m = openTrade(tradeFile())) {
            fill(m, 1);
        }
        QuireException wrongType = thrown(() -> MappingFile.open(tradeFile(), YEAR, QuotePayloadCodec.INSTANCE).close());
        assertThat(wrongType.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
        assertThat(wrongType.code()).isEqualTo("wrong_type");
        QuireException wrongYear = thrown(() -> MappingFile.open(tradeFile(), 2026, TradePayloadCodec.INSTANCE).close());
        assertThat(wrongYear.code()).isEqualTo("wrong_year");
        Path copy = tmp.resolve("c.map");
        byte[] orig = Files.readAllBytes(tradeFile());
        for (int i = 0; i < MappingLayout.HEADER_BYTES; i++) {
            byte[] b = orig.clone();
            b[i] ^= 0x10;
            Files.write(copy, b);
            QuireException e = thrown(() -> openTrade(copy).close());
            assertThat(e.kind()).as("byte %d", i).isEqualTo(ErrorKind.INTEGRITY);
        }
        Files.write(copy, Arrays.copyOf(orig, 10));
        assertThat(thrown(() -> openTrade(copy).close()).getMessage()).contains("shorter than its 16-byte header");
    }

    @Test
    void shouldCreateNothingButTheFileAndKeepContentAcrossReopen() throws IOException {
        try (MappingFile<TradePayload> m = openTrade(tradeFile())) {
            assertThat(m.count()).isZero();
            assertThat(thrown(() -> m.read(1)).kind()).isEqualTo(ErrorKind.NOT_FOUND);
        }
        assertThat(tradeFile().getParent().toFile().list()).containsExactly("trade.map");
        assertThat(Files.size(tradeFile())).isEqualTo(MappingLayout.HEADER_BYTES);
        Files.copy(tradeFile(), tmp.resolve("x"), StandardCopyOption.REPLACE_EXISTING);
        try (MappingFile<TradePayload> m = openTrade(tradeFile())) {
            fill(m, 10);
        }
        try (MappingFile<TradePayload> m = openTrade(tradeFile())) {
            assertThat(m.count()).isEqualTo(10);
            for (int i = 1; i <= 10; i++) assertThat(m.read(i)).isEqualTo(trade(i));
            assertThat(m.fileBytes()).isEqualTo(Files.size(tradeFile()));
        }
    }
}
