package io.quire.core.snapshot;

import io.quire.core.Draft;
import io.quire.core.Entry;
import io.quire.core.Hash;
import io.quire.core.Limits;
import io.quire.core.Where;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The portable snapshot of one stream (DESIGN §3.3, docs/FORMAT.md "Snapshot"): the owner of its
 * byte layout. Every integer is big-endian; {@code u32+x} is a u32 byte length followed by the
 * bytes of {@code x}; strings are UTF-8.
 *
 * <pre>
 *  offset  bytes  field
 *  ------  -----  --------------------------------------------------------------------------
 *       0      8  magic            51 53 4E 41 50 00 00 01   ("QSNAP" 00 00 01)
 *       8      2  u16 format_version   = 1
 *      10      2  u16 flags            = 0 (none defined in version 1; any other value refused)
 *      12      8  u64 created_at_ns    writer's wall clock, ns since the Unix epoch
 *      20      4  u32 stream_len       1..255 (STREAM_NAME_BYTES_MAX)
 *      24      n  stream name
 *  24+n        8  u64 entry_count      0..SNAPSHOT_ENTRIES_MAX
 *
 *  entry_count times, seq 1, 2, 3, … in order:
 *              8  u64 seq
 *         4 + ..  u32+id               1..128 bytes (ID_BYTES_MAX)
 *         4 + ..  u32+key              0..255 bytes (KEY_BYTES_MAX)
 *              8  i64 timestamp_ns
 *              4  u32 metadata_count   0..64 (METADATA_ENTRIES_MAX), then that many pairs,
 *                                      keys strictly ascending by unsigned UTF-8 bytes:
 *         4 + ..    u32+k              1.. bytes  } all k and v together at most
 *         4 + ..    u32+v              0.. bytes  } METADATA_BYTES_MAX
 *         4 + ..  u32+payload          0..4 MiB (PAYLOAD_BYTES_MAX)
 *             32  prev_hash            Hash.ZERO for seq 1
 *             32  hash                 EntryHasher over the fields and the header's stream
 *
 *             32  stream_root          RFC 6962 Merkle root over the entries' hashes
 *         4 + ..  u32+checkpoint       0..64 KiB (CHECKPOINT_TEXT_BYTES_MAX), opaque, may be empty
 *             32  trailer              SHA-256 of every byte before it
 * </pre>
 *
 * <p>Entries carry no stream name (it is the header's) and no position (positions belong to the
 * source ledger; entries decode with position -1).
 *
 * <p>{@link #read} verifies everything before it returns, in three stages, each refusal a
 * {@link QuireException} INVALID_INPUT starting {@code "snapshot check failed: <check>: "}
 * (see {@link SnapshotCheck}): (1) structure while streaming — magic, version and flags, every
 * length against its limit and the remaining byte allowance before anything is allocated,
 * truncation, UTF-8; (2) the trailer, so the entry checks below only ever see bytes exactly as
 * their writer wrote them; (3) meaning — stream name, seq contiguity from 1, each entry's hash,
 * the prev_hash chain and the stream root. Malformed input never causes any other exception.
 */
public final class SnapshotCodec {
    /** The format this Quire writes and the newest it reads. */
    public static final int FORMAT_VERSION = 1;
    /** No flags are defined in format version 1. */
    public static final int FLAGS_NONE = 0;
    static final byte[] MAGIC = {'Q', 'S', 'N', 'A', 'P', 0, 0, 1};

    // Offsets of the fixed-size header fields (the rest of the layout is variable-length).
    static final int OFF_MAGIC_64 = 0;
    static final int OFF_FORMAT_VERSION_16 = 8;
    static final int OFF_FLAGS_16 = 10;
    static final int OFF_CREATED_AT_NS_64 = 12;
    static final int OFF_STREAM_NAME_LEN_32 = 20;
    static final int OFF_STREAM_NAME = 24;

    /** Entries list capacity reserved up front; the count is untrusted until the entries are read. */
    private static final int ENTRIES_INITIAL_CAPACITY_MAX = 1024;

    private SnapshotCodec() {}

    /** {@link #write(OutputStream, String, List, byte[], long)} stamped with the current time. */
    public static void write(OutputStream out, String stream, List<Entry> entries, byte[] checkpointText) {
        write(out, stream, entries, checkpointText, nowNs());
    }

    /**
     * Writes a snapshot of {@code stream} holding {@code entries}, which must be the whole stream
     * from seq 1 in order. Everything {@link #read} checks is checked first, with the same
     * INVALID_INPUT errors, so nothing is written for input {@code read} would refuse. The output
     * is flushed, not closed. A fixed {@code createdAtNs} makes the output reproducible.
     */
    public static void write(OutputStream out, String stream, List<Entry> entries, byte[] checkpointText, long createdAtNs) {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(checkpointText, "checkpointText");
        SnapshotVerifier.verifyStreamName(stream);
        checkSizes(stream, entries, checkpointText);
        SnapshotVerifier.verifyEntries(stream, entries);
        long expectedBytes = encodedBytes(stream, entries, checkpointText);
        long written = encode(out, FORMAT_VERSION, stream, entries, streamRoot(hashesOf(entries)), checkpointText, createdAtNs);
        if (written != expectedBytes) {
            throw new IllegalStateException("bad math in encodedBytes: computed " + expectedBytes + ", wrote " + written);
        }
    }

    /** Reads and fully verifies a snapshot with the default {@link SnapshotLimits}. */
    public static Snapshot read(InputStream in) { return read(in, SnapshotLimits.DEFAULTS); }

    /**
     * Reads a snapshot, which must be the whole of {@code in} (it is read to its end, not closed),
     * and returns it only once every check has passed (see the class Javadoc).
     */
    public static Snapshot read(InputStream in, SnapshotLimits limits) {
        Snapshot s = decode(new SnapshotInput(in, limits.bytesMax()), limits);
        SnapshotVerifier.verifyEntries(s.stream(), s.entries());
        Hash root = streamRoot(hashesOf(s.entries()));
        if (!root.equals(s.streamRoot())) {
            throw SnapshotCheck.MERKLE_ROOT.fail("stored stream root " + s.streamRoot() + " is not the root of the "
                    + s.entries().size() + " entries' hashes (" + root + ")", Where.stream(s.stream(), s.latestSeq()));
        }
        return s;
    }

    // ---- encoding ------------------------------------------------------------------------

    /**
     * Writes the layout with no checks at all and returns the bytes written. Package-private so
     * tests can build snapshots whose trailer is right but whose content is wrong, to reach the
     * inner checks of {@link #read}.
     */
    static long encode(OutputStream out, int formatVersion, String stream, List<Entry> entries, Hash streamRoot,
                       byte[] checkpointText, long createdAtNs) {
        SnapshotOutput w = new SnapshotOutput(out);
        w.raw(MAGIC);
        w.u16(formatVersion);
        w.u16(FLAGS_NONE);
        w.u64(createdAtNs);
        w.utf8(stream);
        w.u64(entries.size());
        for (Entry e : entries) encodeEntry(w, e);
        w.hash(streamRoot);
        w.lengthPrefixed(checkpointText);
        w.trailerAndFlush();
        return w.written();
    }

    private static void encodeEntry(SnapshotOutput w, Entry e) {
        w.u64(e.seq());
        w.utf8(e.id());
        w.utf8(e.key());
        w.u64(e.timestampNs());
        SortedMap<byte[], byte[]> metadata = metadataInCanonicalOrder(e.metadata());
        w.u32(metadata.size());
        metadata.forEach((k, v) -> {
            w.lengthPrefixed(k);
            w.lengthPrefixed(v);
        });
        w.lengthPrefixed(e.payload());
        w.hash(e.prevHash());
        w.hash(e.hash());
    }

    /**
     * Metadata sorted by unsigned UTF-8 bytes, the order EntryHasher uses; Java's String order
     * (UTF-16) differs for characters above U+FFFF, so the map's own order cannot be used.
     */
    private static SortedMap<byte[], byte[]> metadataInCanonicalOrder(Map<String, String> metadata) {
        SortedMap<byte[], byte[]> sorted = new TreeMap<>(Arrays::compareUnsigned);
        metadata.forEach((k, v) -> sorted.put(k.getBytes(StandardCharsets.UTF_8), v.getBytes(StandardCharsets.UTF_8)));
        return sorted;
    }

    /** Limits the reader enforces, applied before the first byte is written. */
    private static void checkSizes(String stream, List<Entry> entries, byte[] checkpointText) {
        if (entries.size() > SnapshotLimits.SNAPSHOT_ENTRIES_MAX) {
            throw SnapshotCheck.LIMIT.failAtSeq(entries.size() + " entries; the limit is "
                    + SnapshotLimits.SNAPSHOT_ENTRIES_MAX + " (SNAPSHOT_ENTRIES_MAX)", stream, -1);
        }
        for (Entry e : entries) SnapshotVerifier.verifyFieldLimits(e);
        if (checkpointText.length > SnapshotLimits.CHECKPOINT_TEXT_BYTES_MAX) {
            throw SnapshotCheck.LIMIT.fail("checkpoint text is " + checkpointText.length + " bytes; the limit is "
                    + SnapshotLimits.CHECKPOINT_TEXT_BYTES_MAX + " (CHECKPOINT_TEXT_BYTES_MAX)", Where.NOWHERE);
        }
        long bytes = encodedBytes(stream, entries, checkpointText);
        if (bytes > SnapshotLimits.SNAPSHOT_BYTES_MAX) {
            throw SnapshotCheck.LIMIT.failAtSeq("the snapshot would be " + bytes + " bytes; the limit is "
                    + SnapshotLimits.SNAPSHOT_BYTES_MAX + " (SNAPSHOT_BYTES_MAX)", stream, -1);
        }
    }

    /** The exact size {@link #encode} will write, from the layout, without encoding. */
    static long encodedBytes(String stream, List<Entry> entries, byte[] checkpointText) {
        long n = SnapshotLimits.FIXED_BYTES + Draft.utf8Length(stream) + checkpointText.length;
        for (Entry e : entries) {
            n += SnapshotLimits.ENTRY_FIXED_BYTES + Draft.utf8Length(e.id()) + Draft.utf8Length(e.key()) + e.payload().length;
            for (Map.Entry<String, String> m : e.metadata().entrySet()) {
                n += 2L * Integer.BYTES + Draft.utf8Length(m.getKey()) + Draft.utf8Length(m.getValue());
            }
        }
        return n;
    }

    private static long nowNs() {
        Instant now = Instant.now();
        return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
    }

    // ---- decoding ------------------------------------------------------------------------

    /** Stages (1) and (2) of {@link #read}: structure while streaming, then the trailer. */
    private static Snapshot decode(SnapshotInput in, SnapshotLimits limits) {
        decodeMagic(in);
        int version = decodeVersion(in);
        assert in.offset() == OFF_CREATED_AT_NS_64 : "bad math in decode: offset " + in.offset();
        long createdAtNs = in.u64("created_at_ns");
        assert in.offset() == OFF_STREAM_NAME_LEN_32 : "bad math in decode: offset " + in.offset();
        String stream = in.utf8(Limits.STREAM_NAME_BYTES_MAX, "stream name");
        SnapshotVerifier.verifyStreamName(stream);
        long countAt = in.offset();
        long count = in.u64("entry count");
        if (Long.compareUnsigned(count, limits.entriesMax()) > 0) {
            throw SnapshotCheck.LIMIT.failAtOffset("entry count " + Long.toUnsignedString(count)
                    + " is over the limit of " + limits.entriesMax() + " (SNAPSHOT_ENTRIES_MAX)", countAt);
        }
        List<Entry> entries = new ArrayList<>((int) Math.min(count, ENTRIES_INITIAL_CAPACITY_MAX));
        for (long i = 0; i < count; i++) entries.add(decodeEntry(in, stream));
        Hash streamRoot = in.hash("stream root");
        byte[] checkpointText = in.blob(SnapshotLimits.CHECKPOINT_TEXT_BYTES_MAX, "checkpoint text");
        decodeTrailer(in);
        return new Snapshot(version, stream, entries, streamRoot, checkpointText, createdAtNs);
    }

    private static void decodeMagic(SnapshotInput in) {
        assert in.offset() == OFF_MAGIC_64;
        byte[] magic = in.bytes(MAGIC.length, MAGIC.length, "magic");
        if (!Arrays.equals(magic, MAGIC)) {
            throw SnapshotCheck.MAGIC.failAtOffset("this is not a Quire snapshot (the first 8 bytes are "
                    + java.util.HexFormat.ofDelimiter(" ").formatHex(magic) + ")", OFF_MAGIC_64);
        }
    }

    /** Version and flags: checked before anything else is parsed, since a newer layout may differ. */
    private static int decodeVersion(SnapshotInput in) {
        int version = in.u16("format version");
        if (version > FORMAT_VERSION) {
            throw SnapshotCheck.VERSION.failAtOffset("snapshot format version " + version
                    + " is newer than this Quire supports (" + FORMAT_VERSION + "); upgrade Quire to read it", OFF_FORMAT_VERSION_16);
        }
        if (version < 1) throw SnapshotCheck.VERSION.failAtOffset("snapshot format version 0 does not exist", OFF_FORMAT_VERSION_16);
        int flags = in.u16("flags");
        if (flags != FLAGS_NONE) {
            throw SnapshotCheck.VERSION.failAtOffset("flags 0x" + Integer.toHexString(flags)
                    + " are not defined in snapshot format version " + version, OFF_FLAGS_16);
        }
        return version;
    }

    private static Entry decodeEntry(SnapshotInput in, String stream) {
        long seq = in.u64("seq");
        long idAt = in.offset();
        String id = in.utf8(Limits.ID_BYTES_MAX, "id");
        if (id.isEmpty()) throw SnapshotCheck.LIMIT.failAtOffset("id is empty; ids are 1.." + Limits.ID_BYTES_MAX + " bytes", idAt);
        String key = in.utf8(Limits.KEY_BYTES_MAX, "key");
        long timestampNs = in.u64("timestamp_ns");
        SortedMap<String, String> metadata = decodeMetadata(in);
        byte[] payload = in.blob(Limits.PAYLOAD_BYTES_MAX, "payload");
        Hash prevHash = in.hash("prev_hash");
        Hash hash = in.hash("hash");
        return new Entry(stream, seq, -1, id, key, timestampNs, metadata, payload, prevHash, hash);
    }

    /**
     * Metadata pairs, bounded by METADATA_ENTRIES_MAX and, running, by METADATA_BYTES_MAX. Keys
     * must be strictly ascending by unsigned bytes: one map has exactly one encoding, and a
     * duplicate key (which a map would silently merge) is refused rather than dropped.
     */
    private static SortedMap<String, String> decodeMetadata(SnapshotInput in) {
        long countAt = in.offset();
        long count = in.u32("metadata count");
        if (count > Limits.METADATA_ENTRIES_MAX) {
            throw SnapshotCheck.LIMIT.failAtOffset("metadata count " + count + " is over the limit of "
                    + Limits.METADATA_ENTRIES_MAX + " (METADATA_ENTRIES_MAX)", countAt);
        }
        TreeMap<String, String> metadata = new TreeMap<>();
        long bytesLeft = Limits.METADATA_BYTES_MAX;
        byte[] previousKey = null;
        for (long i = 0; i < count; i++) {
            long keyAt = in.offset();
            byte[] k = in.blob(bytesLeft, "metadata key (counted in METADATA_BYTES_MAX)");
            bytesLeft -= k.length;
            byte[] v = in.blob(bytesLeft, "metadata value (counted in METADATA_BYTES_MAX)");
            bytesLeft -= v.length;
            if (k.length == 0) throw SnapshotCheck.ENCODING.failAtOffset("metadata key is empty", keyAt);
            if (previousKey != null && Arrays.compareUnsigned(previousKey, k) >= 0) {
                throw SnapshotCheck.ENCODING.failAtOffset("metadata keys are not strictly ascending by unsigned UTF-8 bytes", keyAt);
            }
            previousKey = k;
            metadata.put(SnapshotInput.decodeUtf8(k, "metadata key", keyAt), SnapshotInput.decodeUtf8(v, "metadata value", keyAt));
        }
        return Collections.unmodifiableSortedMap(metadata);
    }

    private static void decodeTrailer(SnapshotInput in) {
        long at = in.offset();
        Hash computed = in.trailerDigest();
        Hash stored = in.unhashedHash("trailer");
        if (!computed.equals(stored)) {
            throw SnapshotCheck.TRAILER.failAtOffset("SHA-256 of the first " + at + " bytes is " + computed
                    + " but the trailer says " + stored + "; the snapshot was damaged after it was written", at);
        }
        in.expectEnd();
    }

    // ---- Merkle root ---------------------------------------------------------------------

    private static List<Hash> hashesOf(List<Entry> entries) {
        List<Hash> hashes = new ArrayList<>(entries.size());
        for (Entry e : entries) hashes.add(e.hash());
        return hashes;
    }

    /** The stream's RFC 6962 root over its entries' hashes (one implementation: MerkleMath). */
    private static Hash streamRoot(List<Hash> leaves) { return io.quire.core.merkle.MerkleMath.rootOf(leaves); }
}
