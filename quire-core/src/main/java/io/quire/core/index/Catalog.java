package io.quire.core.index;

import io.quire.core.Hash;
import io.quire.core.QuireException;
import io.quire.core.Where;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The seal record {@code index/catalog.bin}: the stream catalog and the point up to which every
 * derived file (indexes, Merkle levels) was fsync'ed. Rewritten whole and atomically (temp, fsync,
 * rename, fsync dir) at every seal; on open everything before {@code sealedSize} is trusted and
 * everything after is re-derived from the log.
 *
 * <pre>
 *   0  8B  magic "QCATALOG"      8  u32 format (1)       12 u32 flags (bit 0: clean shutdown)
 *   16 u64 sealed size (entries) 24 u64 resume segment (first position of the segment to rescan)
 *   32 u64 resume offset (byte offset in it: end of the last commit frame)
 *   40 u32 stream count
 *   44 per stream: u32 id, u16 name length, name (UTF-8), u64 last seq, u64 last position, 32B last hash
 *   …  u32 CRC32C of every preceding byte
 * </pre>
 */
public record Catalog(boolean clean, long sealedSize, long resumeSegment, long resumeOffset, List<StreamRecord> streams) {
    public static final String FILE = "catalog.bin";
    static final byte[] MAGIC = "QCATALOG".getBytes(StandardCharsets.US_ASCII);
    static final int FORMAT = 1;

    public record StreamRecord(int id, String name, long lastSeq, long lastPosition, Hash lastHash) {}

    public byte[] encode() {
        int n = 44 + 4;
        List<byte[]> names = new ArrayList<>();
        for (StreamRecord s : streams) {
            byte[] b = s.name().getBytes(StandardCharsets.UTF_8);
            names.add(b);
            n += 4 + 2 + b.length + 8 + 8 + 32;
        }
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.BIG_ENDIAN);
        b.put(MAGIC).putInt(FORMAT).putInt(clean ? 1 : 0).putLong(sealedSize).putLong(resumeSegment).putLong(resumeOffset);
        b.putInt(streams.size());
        for (int i = 0; i < streams.size(); i++) {
            StreamRecord s = streams.get(i);
            b.putInt(s.id()).putShort((short) names.get(i).length).put(names.get(i)).putLong(s.lastSeq()).putLong(s.lastPosition()).put(s.lastHash().toBytes());
        }
        CRC32C c = new CRC32C();
        c.update(b.array(), 0, b.position());
        b.putInt((int) c.getValue());
        return b.array();
    }

    /** Reads the catalog; empty when absent. A damaged one is an INTEGRITY error naming the file. */
    public static Optional<Catalog> read(Path file) {
        byte[] a;
        try {
            a = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw QuireException.io("cannot read catalog: " + e.getMessage(), Where.file(file.toString(), -1), e);
        }
        Where w = Where.file(file.toString(), 0);
        if (a.length < 48) throw QuireException.integrity("catalog is truncated", w);
        CRC32C c = new CRC32C();
        c.update(a, 0, a.length - 4);
        ByteBuffer b = ByteBuffer.wrap(a).order(ByteOrder.BIG_ENDIAN);
        if ((int) c.getValue() != b.getInt(a.length - 4)) throw QuireException.integrity("catalog checksum mismatch", w);
        for (int i = 0; i < MAGIC.length; i++) if (a[i] != MAGIC[i]) throw QuireException.integrity("catalog has a bad magic", w);
        b.position(8);
        int fmt = b.getInt();
        if (fmt != FORMAT) throw QuireException.integrity("catalog format " + fmt + " is not supported", w);
        boolean clean = (b.getInt() & 1) != 0;
        long sealed = b.getLong();
        long seg = b.getLong();
        long off = b.getLong();
        int count = b.getInt();
        List<StreamRecord> streams = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                int id = b.getInt();
                byte[] name = new byte[Short.toUnsignedInt(b.getShort())];
                b.get(name);
                long seq = b.getLong();
                long pos = b.getLong();
                byte[] h = new byte[32];
                b.get(h);
                streams.add(new StreamRecord(id, new String(name, StandardCharsets.UTF_8), seq, pos, Hash.of(h)));
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw QuireException.integrity("catalog stream table is truncated", w);
        }
        if (b.position() != a.length - 4) throw QuireException.integrity("catalog has trailing bytes", w);
        return Optional.of(new Catalog(clean, sealed, seg, off, List.copyOf(streams)));
    }

    public void write(Path file) { io.quire.core.log.FileUtil.writeAtomically(file, encode()); }
}
