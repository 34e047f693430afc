package io.quire.windows.mapping;

import io.quire.core.ErrorKind;
import io.quire.core.QuireException;
import io.quire.core.Where;
import io.quire.core.log.FileUtil;
import io.quire.windows.calendar.CalendarLimits;
import io.quire.windows.slots.PayloadType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One append-only mapping file ({@code payload_id → PayloadRecord}, seed "Payload Indirection")
 * of one payload type and year, laid out as {@link MappingLayout} describes.
 *
 * <p><b>Ids and durability.</b> Record k (from 0) holds {@code payload_id} k + 1; ids are dense.
 * An id is returned only after its record is written and {@code fdatasync}ed; {@link #appendAll}
 * writes a batch with one write and one fsync. A failed write or fsync leaves the open file
 * refusing further appends (IO): the page cache is then in an unknown state; reopen it.
 *
 * <p><b>Lookup.</b> O(1) by id from an in-memory index rebuilt on open by scanning the file (the
 * file is the only truth; nothing else is persisted): one {@code long} per record packing the
 * frame's offset (high 48 bits) and length (low 16), in pages of {@value #PAGE_ENTRIES}
 * entries allocated as the file grows — 8 bytes of heap per record, no copying on growth.
 *
 * <p><b>Recovery on open</b>, as a decision table on the first record that does not verify
 * (incomplete header, body length 0 or over {@link MappingLimits#BODY_BYTES_MAX}, incomplete
 * body, frame CRC mismatch), at offset p with r bytes from p to the end of the file:
 * <ul>
 *   <li>no such record: clean;</li>
 *   <li>r ≤ {@link MappingLimits#APPEND_BYTES_MAX} and no record with a valid frame CRC and a
 *       later id starts after p: a torn tail of the last, unacknowledged append — truncated,
 *       fsynced and reported by {@link #recovery()} (read-only: ignored, not truncated);</li>
 *   <li>r > {@code APPEND_BYTES_MAX}, or an intact later record follows: INTEGRITY naming the
 *       file, the offset and the payload id; nothing is changed (acknowledged data is never
 *       dropped to make a file open);</li>
 *   <li>a record whose frame CRC is valid but whose id is not the next one, or whose reserved
 *       field or schema version is 0: INTEGRITY (never written by Quire).</li>
 * </ul>
 *
 * <p><b>Concurrency.</b> Any number of threads may read while one thread appends. Protocol:
 * the appender writes and fsyncs the bytes, stores the index entries (plain writes), then
 * publishes the new count with a volatile write; a reader reads the count (volatile) before any
 * entry, so every id it accepts has its entry and its bytes in place — a partial record is never
 * visible. Appends are serialized by a lock. One appending opener per file: an exclusive
 * {@link FileLock} is held while open (a second appending opener in this or another process
 * gets CONFLICT); read-only opens take no lock and pick up later appends with {@link #refresh()}.
 */
public final class MappingFile<T extends PayloadRecord> implements AutoCloseable {
    static final int PAGE_SHIFT = 16;
    static final int PAGE_ENTRIES = 1 << PAGE_SHIFT;
    private static final int SCAN_WINDOW_BYTES = 1 << 20;

    private final Path file;
    private final int year;
    private final PayloadCodec<T> codec;
    private final FileChannel ch;
    private final FileLock lock;          // null when read-only
    private final Recovery recovery;
    private final long[][] pages = new long[(int) ((MappingLimits.PAYLOAD_ID_MAX + PAGE_ENTRIES - 1) >>> PAGE_SHIFT)][];
    private final Object appendLock = new Object();
    private volatile long count;
    private long fileBytes;  // guarded by appendLock
    private boolean broken;  // guarded by appendLock
    private volatile boolean closed;

    private MappingFile(Path file, int year, PayloadCodec<T> codec, FileChannel ch, FileLock lock) throws IOException {
        this.file = file;
        this.year = year;
        this.codec = codec;
        this.ch = ch;
        this.lock = lock;
        long size = ch.size();
        checkHeader(size);
        this.fileBytes = MappingLayout.HEADER_BYTES;
        this.recovery = scan(size, lock != null);
    }

    /** Where the mapping file of {@code type} for {@code year} lives: {@code <ledger>/windows/<year>/<type>.map}. */
    public static Path fileIn(Path ledgerDir, int year, PayloadType type) {
        checkYear(year);
        if (type == null || type.mapFile() == null) throw QuireException.invalid("payload type " + type + " has no mapping file");
        return ledgerDir.resolve("windows").resolve(Integer.toString(year)).resolve(type.mapFile());
    }

    /**
     * Opens {@code file} for appending and reading, creating it (and its directories) when
     * missing, and truncating a torn tail (see the class comment). CONFLICT ({@code locked}) when
     * another appender holds it.
     */
    public static <T extends PayloadRecord> MappingFile<T> open(Path file, int year, PayloadCodec<T> codec) {
        return open(file, year, codec, false);
    }

    /** Opens an existing {@code file} for reading only: no lock, no truncation. NOT_FOUND when missing. */
    public static <T extends PayloadRecord> MappingFile<T> openReadOnly(Path file, int year, PayloadCodec<T> codec) {
        return open(file, year, codec, true);
    }

    private static <T extends PayloadRecord> MappingFile<T> open(Path file, int year, PayloadCodec<T> codec, boolean readOnly) {
        checkYear(year);
        Objects.requireNonNull(codec, "codec");
        if (!readOnly && !Files.exists(file)) create(file, codec.type(), year);
        FileChannel ch = null;
        try {
            ch = readOnly ? FileChannel.open(file, StandardOpenOption.READ) : FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = null;
            if (!readOnly) {
                try {
                    lock = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock == null) {
                    throw new QuireException(ErrorKind.CONFLICT, "mapping file " + file + " is open for appending elsewhere (in this or another process); "
                            + "open it read-only to read", Where.file(file.toString(), -1)).withCode("locked");
                }
            }
            return new MappingFile<>(file, year, codec, ch, lock);
        } catch (NoSuchFileException e) {
            closeQuietly(ch);
            throw new QuireException(ErrorKind.NOT_FOUND, "mapping file " + file + " does not exist", Where.file(file.toString(), -1), e);
        } catch (IOException e) {
            closeQuietly(ch);
            throw QuireException.io("cannot open mapping file " + file + ": " + e.getMessage(), Where.file(file.toString(), -1), e);
        } catch (Throwable t) {
            closeQuietly(ch);
            throw t;
        }
    }

    private static void create(Path file, PayloadType type, int year) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            // Create missing directories one by one, fsyncing each parent, so the path is durable.
            List<Path> missing = new ArrayList<>();
            for (Path d = dir; d != null && !Files.exists(d); d = d.getParent()) missing.addFirst(d);
            for (Path d : missing) {
                try {
                    Files.createDirectory(d);
                } catch (FileAlreadyExistsException raced) {
                    // Another opener created it; fine.
                }
                FileUtil.fsyncDir(d.getParent());
            }
        } catch (IOException e) {
            throw QuireException.io("cannot create the directory of " + file + ": " + e.getMessage(), Where.file(file.toString(), -1), e);
        }
        // Header to a private temp file, fsync, hard link into place (link never replaces, so a
        // concurrent creator cannot clobber a file the other already appended to), fsync the dir.
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, file.getFileName() + ".", ".tmp");
            try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(MappingLayout.encodeHeader(type, year));
                while (b.hasRemaining()) c.write(b);
                c.force(true);
            }
            try {
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException raced) {
                // Another creator won; its file is as good as ours.
            }
            Files.delete(tmp);
            tmp = null;
            FileUtil.fsyncDir(dir);
        } catch (IOException | UnsupportedOperationException e) {
            throw QuireException.io("cannot create mapping file " + file + ": " + e.getMessage(), Where.file(file.toString(), -1),
                    e instanceof IOException io ? io : new IOException(e));
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // A stray temp file is harmless.
                }
            }
        }
    }

    private void checkHeader(long size) throws IOException {
        if (size < MappingLayout.HEADER_BYTES) {
            throw integrity(0, "the file is " + size + " bytes, shorter than its " + MappingLayout.HEADER_BYTES + "-byte header");
        }
        ByteBuffer b = ByteBuffer.allocate(MappingLayout.HEADER_BYTES).order(ByteOrder.BIG_ENDIAN);
        readFully(b, 0);
        if (b.getInt(MappingLayout.OFF_MAGIC_32) != MappingLayout.MAGIC) throw integrity(0, "not a mapping file (bad magic)");
        if (b.getInt(MappingLayout.OFF_HEADER_CRC_32) != MappingLayout.crc(b.array(), 0, MappingLayout.OFF_HEADER_CRC_32)) {
            throw integrity(MappingLayout.OFF_HEADER_CRC_32, "header CRC32C mismatch");
        }
        int version = b.getShort(MappingLayout.OFF_VERSION_16) & 0xFFFF;
        if (version != MappingLayout.FORMAT_VERSION) {
            throw integrity(MappingLayout.OFF_VERSION_16, "format version " + version + " is not supported (this build reads "
                    + MappingLayout.FORMAT_VERSION + ")");
        }
        if (b.get(MappingLayout.OFF_RESERVED_8) != 0 || b.getShort(MappingLayout.OFF_RESERVED_16) != 0) {
            throw integrity(MappingLayout.OFF_RESERVED_8, "reserved header bytes are not zero");
        }
        int typeCode = b.get(MappingLayout.OFF_TYPE_8) & 0xFF;
        if (typeCode != codec.type().code()) {
            PayloadType t = PayloadType.ofCode(typeCode);
            throw new QuireException(ErrorKind.INVALID_INPUT, "mapping file " + file + " holds payload type " + (t == null ? "code " + typeCode : t)
                    + ", not " + codec.type(), Where.file(file.toString(), MappingLayout.OFF_TYPE_8)).withCode("wrong_type");
        }
        int fileYear = b.getShort(MappingLayout.OFF_YEAR_16) & 0xFFFF;
        if (fileYear != year) {
            throw new QuireException(ErrorKind.INVALID_INPUT, "mapping file " + file + " is for year " + fileYear + ", not " + year,
                    Where.file(file.toString(), MappingLayout.OFF_YEAR_16)).withCode("wrong_year");
        }
    }

    /**
     * Scans the records from {@code fileBytes} to {@code size}, indexing and publishing each
     * verified one, and applies the recovery table of the class comment to the first that does not
     * verify. Called under {@code appendLock} (or from the constructor).
     */
    private Recovery scan(long size, boolean mayTruncate) throws IOException {
        byte[] win = new byte[(int) Math.min(SCAN_WINDOW_BYTES, Math.max(size - fileBytes, MappingLayout.FRAME_HEADER_BYTES))];
        long winStart = 0;
        int winLen = 0;
        long pos = fileBytes;
        long id = count + 1;
        while (pos < size) {
            long rem = size - pos;
            String bad = null;
            int frame = 0;
            if (rem < MappingLayout.FRAME_HEADER_BYTES) {
                bad = "an incomplete frame header (" + rem + " of " + MappingLayout.FRAME_HEADER_BYTES + " bytes)";
            } else {
                if (pos < winStart || pos + MappingLayout.FRAME_HEADER_BYTES > winStart + winLen) {
                    winLen = fill(win, pos, size);
                    winStart = pos;
                }
                int o = (int) (pos - winStart);
                long n = u32(win, o + MappingLayout.REC_OFF_LEN_32);
                if (n < 1 || n > MappingLimits.BODY_BYTES_MAX) {
                    bad = "a body length of " + n + " (valid: 1.." + MappingLimits.BODY_BYTES_MAX + ")";
                } else if (rem < MappingLayout.FRAME_HEADER_BYTES + n) {
                    bad = "an incomplete record (" + rem + " of " + (MappingLayout.FRAME_HEADER_BYTES + n) + " bytes)";
                } else {
                    frame = MappingLayout.FRAME_HEADER_BYTES + (int) n;
                    if (pos + frame > winStart + winLen) {
                        winLen = fill(win, pos, size);
                        winStart = pos;
                        o = 0;
                    }
                    if ((int) u32(win, o + MappingLayout.REC_OFF_CRC_32) != MappingLayout.frameCrc(win, o, (int) n)) {
                        bad = "a frame CRC32C mismatch";
                    } else {
                        checkVerifiedFrame(win, o, pos, id);
                    }
                }
            }
            if (bad != null) return tornOrCorrupt(pos, size, id, bad, mayTruncate);
            if (id > MappingLimits.PAYLOAD_ID_MAX) throw integrity(pos, "more than " + MappingLimits.PAYLOAD_ID_MAX + " records");
            index(id, pos, frame);
            pos += frame;
            fileBytes = pos;
            count = id;  // volatile: publishes the entry just stored
            id++;
        }
        return null;
    }

    /** Checks the fields of a frame whose CRC is valid: such a frame was written by Quire, so any surprise is corruption. */
    private void checkVerifiedFrame(byte[] a, int o, long pos, long expectedId) {
        long storedId = u32(a, o + MappingLayout.REC_OFF_ID_32);
        if (storedId != expectedId) throw integrity(pos, "record holds payload_id " + storedId + " where " + expectedId + " was expected");
        int schema = (a[o + MappingLayout.REC_OFF_SCHEMA_16] & 0xFF) << 8 | (a[o + MappingLayout.REC_OFF_SCHEMA_16 + 1] & 0xFF);
        if (schema == 0) throw integrity(pos, "payload_id " + expectedId + " has schema version 0");
        if (a[o + MappingLayout.REC_OFF_RESERVED_16] != 0 || a[o + MappingLayout.REC_OFF_RESERVED_16 + 1] != 0) {
            throw integrity(pos, "payload_id " + expectedId + " has non-zero reserved bytes");
        }
    }

    private Recovery tornOrCorrupt(long pos, long size, long id, String bad, boolean mayTruncate) throws IOException {
        long rem = size - pos;
        if (rem > MappingLimits.APPEND_BYTES_MAX) {
            throw integrity(pos, "corrupt record for payload_id " + id + ": " + bad + ", with " + rem + " bytes from it to the end of the file "
                    + "(more than one append of at most " + MappingLimits.APPEND_BYTES_MAX + "; not a torn tail). Restore the file from a backup");
        }
        byte[] tail = new byte[(int) rem];
        readFully(ByteBuffer.wrap(tail), pos);
        long[] later = findIntactRecord(tail, id);
        if (later != null) {
            throw integrity(pos, "corrupt record for payload_id " + id + ": " + bad + ", followed by an intact record (payload_id " + later[0]
                    + " at offset " + (pos + later[1]) + "): the damage is not a torn tail and truncating would drop acknowledged records. "
                    + "Restore the file from a backup");
        }
        if (mayTruncate) {
            ch.truncate(pos);
            ch.force(true);
        }
        return new Recovery(pos, rem, bad, mayTruncate);
    }

    /** The id and relative offset of the first record after byte 0 of {@code tail} that verifies with an id ≥ {@code id}, or null. */
    private static long[] findIntactRecord(byte[] tail, long id) {
        long idMax = id + MappingLimits.APPEND_BYTES_MAX / (MappingLayout.FRAME_HEADER_BYTES + 1);
        for (int q = 1; q + MappingLayout.FRAME_HEADER_BYTES <= tail.length; q++) {
            long n = u32(tail, q + MappingLayout.REC_OFF_LEN_32);
            if (n < 1 || n > MappingLimits.BODY_BYTES_MAX || q + MappingLayout.FRAME_HEADER_BYTES + n > tail.length) continue;
            long storedId = u32(tail, q + MappingLayout.REC_OFF_ID_32);
            if (storedId < id || storedId > idMax) continue;
            if ((int) u32(tail, q + MappingLayout.REC_OFF_CRC_32) == MappingLayout.frameCrc(tail, q, (int) n)) return new long[] {storedId, q};
        }
        return null;
    }

    private int fill(byte[] win, long pos, long size) throws IOException {
        int want = (int) Math.min(win.length, size - pos);
        ByteBuffer b = ByteBuffer.wrap(win, 0, want);
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) throw integrity(pos + b.position(), "the file shrank while being scanned");
        }
        return want;
    }

    private void index(long id, long offset, int frameBytes) {
        long k = id - 1;
        int page = (int) (k >>> PAGE_SHIFT);
        long[] p = pages[page];
        if (p == null) pages[page] = p = new long[PAGE_ENTRIES];
        p[(int) (k & (PAGE_ENTRIES - 1))] = offset << 16 | frameBytes;
    }

    // ---------------------------------------------------------------- appending

    /** Appends one record durably and returns its id and checksum. See {@link #appendAll}. */
    public Appended append(T record) { return appendAll(List.of(record)).getFirst(); }

    /**
     * Appends {@code records} (at most {@link MappingLimits#RECORDS_PER_APPEND_MAX}) with one
     * write and one fsync, and returns their ids — consecutive, in order — only once they are
     * durable. All or nothing. CONFLICT ({@code mapping_full}) past {@link MappingLimits#PAYLOAD_ID_MAX}.
     */
    public List<Appended> appendAll(List<? extends T> records) {
        if (lock == null) throw new IllegalStateException("mapping file " + file + " is open read-only");
        Objects.requireNonNull(records, "records");
        if (records.size() > MappingLimits.RECORDS_PER_APPEND_MAX) {
            throw QuireException.invalid(records.size() + " records in one append; the limit is " + MappingLimits.RECORDS_PER_APPEND_MAX
                    + " (RECORDS_PER_APPEND_MAX)").withCode("append_batch");
        }
        if (records.isEmpty()) return List.of();
        byte[][] bodies = new byte[records.size()][];
        int bytes = 0;
        for (int i = 0; i < bodies.length; i++) {
            T r = Objects.requireNonNull(records.get(i), "record " + i);
            if (!codec.recordClass().isInstance(r)) throw QuireException.invalid(r.type() + " payload cannot go in " + codec.type().mapFile());
            bodies[i] = codec.encode(r);
            if (bodies[i].length < 1 || bodies[i].length > MappingLimits.BODY_BYTES_MAX) {
                throw new IllegalStateException("bad math in " + codec.getClass().getSimpleName() + ": body of " + bodies[i].length + " bytes");
            }
            // Pair assertion: what goes to disk decodes back to what was given.
            assert codec.decode(codec.schemaVersion(), bodies[i]).equals(r) : "codec round trip failed for " + r;
            bytes += MappingLayout.FRAME_HEADER_BYTES + bodies[i].length;
        }
        synchronized (appendLock) {
            if (closed) throw new IllegalStateException("mapping file " + file + " is closed");
            if (broken) throw QuireException.io("mapping file " + file + " refused: an earlier write failed; reopen it", Where.file(file.toString(), fileBytes), null);
            long first = count + 1;
            if (first - 1 + bodies.length > MappingLimits.PAYLOAD_ID_MAX) {
                throw new QuireException(ErrorKind.CONFLICT, "mapping file " + file + " is full: " + (first - 1) + " records, " + bodies.length
                        + " more asked, payload_id is a u32 (PAYLOAD_ID_MAX " + MappingLimits.PAYLOAD_ID_MAX + "); nothing was written",
                        Where.file(file.toString(), fileBytes)).withCode("mapping_full");
            }
            ByteBuffer b = ByteBuffer.allocate(bytes).order(ByteOrder.BIG_ENDIAN);
            List<Appended> out = new ArrayList<>(bodies.length);
            long at = fileBytes;
            for (int i = 0; i < bodies.length; i++) {
                long off = at + b.position();
                MappingLayout.encodeRecord(b, first + i, codec.schemaVersion(), bodies[i]);
                out.add(new Appended(codec.type(), first + i, MappingLayout.bodyChecksum(bodies[i]), codec.schemaVersion(), off));
            }
            if (b.hasRemaining()) throw new IllegalStateException("bad math in MappingFile.appendAll: " + b.remaining() + " bytes left");
            b.flip();
            try {
                io.quire.core.log.FileUtil.appendDurably(ch, b, at);
            } catch (IOException e) {
                broken = true;
                throw QuireException.io("cannot append to mapping file " + file + ": " + e.getMessage()
                        + "; no id was handed out. Reopen the file to continue", Where.file(file.toString(), at), e);
            }
            for (int i = 0; i < out.size(); i++) {
                Appended a = out.get(i);
                index(a.payloadId(), a.offset(), MappingLayout.FRAME_HEADER_BYTES + bodies[i].length);
            }
            fileBytes = at + bytes;
            count = first - 1 + bodies.length;  // volatile: publishes the entries and the bytes
            return out;
        }
    }

    /**
     * Read-only opens: indexes records appended since the open or the last refresh, stopping
     * (without truncating) at an incomplete record — an append still in flight. Returns how many
     * records were added. An appending open has nothing to pick up and returns 0.
     */
    public long refresh() {
        if (lock != null) return 0;
        synchronized (appendLock) {
            if (closed) throw new IllegalStateException("mapping file " + file + " is closed");
            long before = count;
            try {
                long size = ch.size();
                if (size > fileBytes) scan(size, false);
            } catch (IOException e) {
                throw QuireException.io("cannot read mapping file " + file + ": " + e.getMessage(), Where.file(file.toString(), fileBytes), e);
            }
            return count - before;
        }
    }

    // ---------------------------------------------------------------- reading

    /**
     * The payload {@code payloadId}, verified against the checksum its slot stores
     * ({@code PayloadMeta.checksum}, CRC32C of the body): INTEGRITY naming file, offset and id on
     * a mismatch. INVALID_INPUT for an id below 1 or above {@link MappingLimits#PAYLOAD_ID_MAX},
     * NOT_FOUND for one not (yet) appended.
     */
    public T read(long payloadId, int expectedChecksum) {
        RawRecord r = raw(payloadId);
        if (r.checksum() != expectedChecksum) {
            throw new QuireException(ErrorKind.INTEGRITY, codec.type().mapFile() + ": payload_id " + payloadId + " at offset " + r.offset()
                    + ": body CRC32C " + hex(r.checksum()) + " does not match the slot's checksum " + hex(expectedChecksum)
                    + " (the slot points at another payload, or the payload changed)", Where.file(file.toString(), r.offset()))
                    .withCode("checksum_mismatch");
        }
        return decode(r);
    }

    /** The payload {@code payloadId}, with its frame verified but no slot checksum to compare (tools, audits). */
    public T read(long payloadId) { return decode(raw(payloadId)); }

    /** Decodes a raw record, naming the file, offset and id in any failure. */
    public T decode(RawRecord r) {
        try {
            return codec.decode(r.schemaVersion(), r.body());
        } catch (QuireException e) {
            throw new QuireException(e.kind(), codec.type().mapFile() + ": payload_id " + r.payloadId() + " at offset " + r.offset() + ": "
                    + e.reason(), Where.file(file.toString(), r.offset()), e).withCode(e.code());
        }
    }

    /** Record {@code payloadId} as stored, its frame verified. Errors as {@link #read(long, int)}. */
    public RawRecord raw(long payloadId) {
        if (payloadId < 1 || payloadId > MappingLimits.PAYLOAD_ID_MAX) {
            throw QuireException.invalid("payload_id " + payloadId + " out of range 1.." + MappingLimits.PAYLOAD_ID_MAX + " (0 means empty)")
                    .withCode("payload_id_invalid");
        }
        long n = count;  // volatile: entries 1..n and their bytes are in place
        if (payloadId > n) {
            throw new QuireException(ErrorKind.NOT_FOUND, codec.type().mapFile() + ": payload_id " + payloadId + " does not exist ("
                    + n + " records)", Where.file(file.toString(), -1));
        }
        if (closed) throw new IllegalStateException("mapping file " + file + " is closed");
        long k = payloadId - 1;
        long e = pages[(int) (k >>> PAGE_SHIFT)][(int) (k & (PAGE_ENTRIES - 1))];
        long off = e >>> 16;
        int frame = (int) (e & 0xFFFF);
        byte[] a = new byte[frame];
        try {
            readFully(ByteBuffer.wrap(a), off);
        } catch (IOException ex) {
            throw QuireException.io("cannot read " + codec.type().mapFile() + " payload_id " + payloadId + ": " + ex.getMessage(),
                    Where.file(file.toString(), off), ex);
        }
        int bodyLen = frame - MappingLayout.FRAME_HEADER_BYTES;
        String bad = null;
        if (u32(a, MappingLayout.REC_OFF_LEN_32) != bodyLen) bad = "its length field changed since it was indexed";
        else if ((int) u32(a, MappingLayout.REC_OFF_CRC_32) != MappingLayout.frameCrc(a, 0, bodyLen)) bad = "frame CRC32C mismatch";
        else if (u32(a, MappingLayout.REC_OFF_ID_32) != payloadId) bad = "it holds payload_id " + u32(a, MappingLayout.REC_OFF_ID_32);
        if (bad != null) throw integrity(off, "payload_id " + payloadId + ": " + bad);
        int schema = (a[MappingLayout.REC_OFF_SCHEMA_16] & 0xFF) << 8 | (a[MappingLayout.REC_OFF_SCHEMA_16 + 1] & 0xFF);
        byte[] body = java.util.Arrays.copyOfRange(a, MappingLayout.REC_OFF_BODY, frame);
        return new RawRecord(payloadId, off, schema, body, MappingLayout.bodyChecksum(body));
    }

    private void readFully(ByteBuffer b, long pos) throws IOException {
        long start = pos - b.position();
        while (b.hasRemaining()) {
            if (ch.read(b, start + b.position()) < 0) throw integrity(start + b.position(), "the file ends inside a record that was indexed");
        }
    }

    // ---------------------------------------------------------------- accessors

    /** Records in the file: ids {@code 1..count()}. */
    public long count() { return count; }

    public PayloadType type() { return codec.type(); }

    public PayloadCodec<T> codec() { return codec; }

    public int year() { return year; }

    public Path file() { return file; }

    public boolean readOnly() { return lock == null; }

    /** Bytes of the verified records plus the header (the end of the file after open's truncation). */
    public long fileBytes() {
        synchronized (appendLock) {
            return fileBytes;
        }
    }

    /** The torn tail found when this file was opened, if there was one. */
    public Optional<Recovery> recovery() { return Optional.ofNullable(recovery); }

    /** Releases the lock and closes the file. Idempotent. */
    @Override
    public void close() {
        synchronized (appendLock) {
            if (closed) return;
            closed = true;
            try {
                if (lock != null && lock.isValid()) lock.release();
            } catch (IOException ignored) {
                // Closing the channel releases the lock too.
            }
            closeQuietly(ch);
        }
    }

    // ---------------------------------------------------------------- helpers

    private QuireException integrity(long offset, String problem) {
        return QuireException.integrity("mapping file " + file.getFileName() + ": " + problem, Where.file(file.toString(), offset));
    }

    static long u32(byte[] a, int o) {
        return (long) (a[o] & 0xFF) << 24 | (a[o + 1] & 0xFF) << 16 | (a[o + 2] & 0xFF) << 8 | (a[o + 3] & 0xFF);
    }

    private static String hex(int v) { return String.format("0x%08x", v); }

    private static void checkYear(int year) {
        if (year < CalendarLimits.YEAR_MIN || year > CalendarLimits.YEAR_MAX) {
            throw QuireException.invalid("year " + year + " is outside the supported range " + CalendarLimits.YEAR_MIN + ".." + CalendarLimits.YEAR_MAX);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // Nothing pending: every append was forced before it returned.
        }
    }
}
