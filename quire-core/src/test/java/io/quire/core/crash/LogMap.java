package io.quire.core.crash;

import io.quire.core.log.FrameLayout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A test's independent map of one segment file: every frame with its offset, and the batches the
 * commit frames close. Field offsets are restated here from {@link FrameLayout}'s diagram on
 * purpose (a second reading of the format), and the CRC fixers let a test forge a "sophisticated"
 * tamper that passes every checksum.
 */
public final class LogMap {
    // From FrameLayout's diagram (ENTRY and COMMIT frames).
    public static final int E_OFF_SEQ_64 = 24;
    public static final int E_OFF_PREV_HASH_256 = 40;
    public static final int E_OFF_HASH_256 = 72;
    public static final int E_OFF_ID_LEN_16 = 104;
    public static final int E_OFF_KEY_LEN_16 = 106;
    public static final int E_OFF_PAYLOAD_LEN_32 = 108;
    public static final int E_OFF_META_LEN_32 = 112;
    public static final int C_OFF_BATCH_START_64 = 24;
    public static final int C_OFF_BATCH_CRC_32 = 36;

    public record Frame(int offset, int length, byte type, long position, long seq) {
        public int end() { return offset + length; }
    }

    /** A committed batch: its first frame's offset, its frames and its commit frame. */
    public record Batch(int start, List<Frame> frames, Frame commit) {
        public int end() { return commit.end(); }

        public List<Frame> entries() { return frames.stream().filter(f -> f.type() == FrameLayout.TYPE_ENTRY).toList(); }
    }

    public final Path file;
    public final ByteBuffer bytes;
    public final List<Batch> batches = new ArrayList<>();

    private LogMap(Path file, ByteBuffer bytes) {
        this.file = file;
        this.bytes = bytes;
        int off = FrameLayout.SEGMENT_HEADER_BYTES;
        List<Frame> frames = new ArrayList<>();
        int start = off;
        while (off < bytes.limit()) {
            int len = FrameLayout.declaredLength(bytes, off, bytes.limit());
            if (len < 0 || !FrameLayout.frameValid(bytes, off, len, bytes.limit())) {
                throw new IllegalStateException("test expects an intact segment; bad frame at " + off + " in " + file);
            }
            byte t = FrameLayout.type(bytes, off);
            Frame f = t == FrameLayout.TYPE_ENTRY
                    ? new Frame(off, len, t, FrameLayout.entryPosition(bytes, off), FrameLayout.entrySeq(bytes, off))
                    : new Frame(off, len, t, -1, -1);
            if (t == FrameLayout.TYPE_COMMIT) {
                batches.add(new Batch(start, List.copyOf(frames), f));
                frames.clear();
                start = off + len;
            } else {
                frames.add(f);
            }
            off += len;
        }
        if (!frames.isEmpty()) throw new IllegalStateException("segment ends inside a batch: " + file);
    }

    public static LogMap of(Path segment) {
        try {
            return new LogMap(segment, ByteBuffer.wrap(Files.readAllBytes(segment)).order(ByteOrder.BIG_ENDIAN));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The only or last segment of a ledger directory. */
    public static Path lastSegment(Path ledgerDir) {
        List<Path> s = segments(ledgerDir);
        return s.get(s.size() - 1);
    }

    public static List<Path> segments(Path ledgerDir) {
        try (var st = Files.list(ledgerDir.resolve("log"))) {
            return st.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public Batch lastBatch() { return batches.get(batches.size() - 1); }

    /** The frame of the entry at this ledger position. */
    public Frame entryAt(long position) {
        for (Batch b : batches) for (Frame f : b.entries()) if (f.position() == position) return f;
        throw new IllegalArgumentException("no entry " + position + " in " + file);
    }

    public Batch batchOf(Frame f) {
        for (Batch b : batches) if (b.frames().contains(f) || b.commit().equals(f)) return b;
        throw new IllegalArgumentException("frame not in any batch");
    }

    /** Offset of the payload's first byte in an ENTRY frame. */
    public int payloadOffset(Frame f) {
        int o = f.offset();
        return o + FrameLayout.ENTRY_FIXED_BYTES + Short.toUnsignedInt(bytes.getShort(o + E_OFF_ID_LEN_16))
                + Short.toUnsignedInt(bytes.getShort(o + E_OFF_KEY_LEN_16)) + bytes.getInt(o + E_OFF_META_LEN_32);
    }

    public int payloadLength(Frame f) { return bytes.getInt(f.offset() + E_OFF_PAYLOAD_LEN_32); }

    /** Recomputes the frame's own CRC32C after a forged change (FrameLayout.frameCrc). */
    public void fixFrameCrc(Frame f) {
        bytes.putInt(f.offset() + FrameLayout.FRAME_OFF_CRC_32, FrameLayout.frameCrc(bytes, f.offset(), f.length()));
    }

    /** Recomputes the batch CRC in the commit frame, then the commit frame's own CRC. */
    public void fixCommitCrc(Batch b) {
        int c = b.commit().offset();
        bytes.putInt(c + C_OFF_BATCH_CRC_32, FrameLayout.crc(bytes, b.start(), c - b.start()));
        fixFrameCrc(b.commit());
    }

    /** Writes the (modified) bytes back over the file. */
    public void write() {
        try {
            Files.write(file, java.util.Arrays.copyOf(bytes.array(), bytes.limit()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
