package io.quire.windows.slots;

import io.quire.core.ErrorKind;
import io.quire.core.QuireException;
import io.quire.core.Where;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

import static io.quire.windows.slots.SlotLayout.*;

/** Creates and validates the immutable part of a slot file's header (layout in {@link SlotLayout}). */
final class SlotHeader {
    private SlotHeader() {}

    static ByteBuffer encode(LedgerKind kind, int year, int symbols, int minutes) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ORDER);
        b.putLong(HDR_MAGIC_64, MAGIC_64);
        b.putInt(HDR_FORMAT_VERSION_32, FORMAT_VERSION);
        b.putInt(HDR_KIND_32, kind.code());
        b.putInt(HDR_YEAR_32, year);
        b.putInt(HDR_SYMBOLS_32, symbols);
        b.putInt(HDR_MINUTES_32, minutes);
        b.putInt(HDR_ROW_BYTES_32, kind.rowBytes());
        b.putInt(HDR_SLOTS_PER_ROW_32, kind.slotsPerRow());
        b.putInt(HDR_SLOT_BYTES_32, SLOT_BYTES);
        b.putLong(HDR_DATA_OFFSET_64, HEADER_BYTES);
        b.putLong(HDR_FILE_BYTES_64, fileBytes(symbols, minutes, kind));
        b.putInt(HDR_CRC_32, crc(b));
        return b;
    }

    static int crc(ByteBuffer header) {
        CRC32C c = new CRC32C();
        c.update(header.duplicate().position(0).limit(HDR_CRC_COVERS));
        return (int) c.getValue();
    }

    /**
     * Creates the file if it does not exist: a sparse file of its full size with the header page
     * written and synced, published under its name with a hard link so that two processes
     * creating at once end up sharing one file (the loser's link fails and it opens the winner's).
     */
    static void createIfMissing(Path file, LedgerKind kind, int year, int symbols, int minutes) {
        if (Files.exists(file)) return;
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            Files.createDirectories(file.getParent());
            try (RandomAccessFile raf = new RandomAccessFile(tmp.toFile(), "rw")) {
                raf.setLength(fileBytes(symbols, minutes, kind));
                FileChannel ch = raf.getChannel();
                ByteBuffer h = encode(kind, year, symbols, minutes);
                while (h.hasRemaining()) ch.write(h, h.position());
                ch.force(true);
            }
            try {
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException raced) {
                // Another process created it first; we open theirs.
            }
            try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            } catch (IOException ignored) {
                // Directories cannot be synced on every platform; the link is still in place.
            }
        } catch (IOException e) {
            throw QuireException.io("cannot create slot file: " + e.getMessage()
                    + " (check that the directory is writable and the disk has room)", Where.file(file.toString(), -1), e);
        } finally {
            try { Files.deleteIfExists(tmp); } catch (IOException ignored) { /* a stray tmp file is harmless */ }
        }
    }

    /** The symbols capacity of a header whose magic, version and CRC verify. */
    static int peekSymbols(FileChannel ch, Path file) throws IOException {
        String f = file.toString();
        if (ch.size() < HEADER_BYTES)
            throw QuireException.integrity("not a slot file: " + ch.size() + " bytes, shorter than the " + HEADER_BYTES + "-byte header", Where.file(f, 0));
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ORDER);
        while (b.hasRemaining()) if (ch.read(b, b.position()) < 0) break;
        if (b.getLong(HDR_MAGIC_64) != MAGIC_64)
            throw QuireException.integrity("not a slot file: bad magic (expected \"QSLOTS01\")", Where.file(f, HDR_MAGIC_64));
        if (b.getInt(HDR_FORMAT_VERSION_32) != FORMAT_VERSION)
            throw QuireException.integrity("slot file format version " + b.getInt(HDR_FORMAT_VERSION_32) + " is not supported", Where.file(f, HDR_FORMAT_VERSION_32));
        if (crc(b) != b.getInt(HDR_CRC_32))
            throw QuireException.integrity("slot file header fails its CRC32C; restore the file from ledger.state backups", Where.file(f, HDR_CRC_32));
        return b.getInt(HDR_SYMBOLS_32);
    }

    /** Reads and checks the header against what the caller asked for; throws naming the file. */
    static void validate(FileChannel ch, Path file, LedgerKind kind, int year, int symbols, int minutes) throws IOException {
        String f = file.toString();
        long size = ch.size();
        if (size < HEADER_BYTES)
            throw QuireException.integrity("not a slot file: " + size + " bytes, shorter than the " + HEADER_BYTES + "-byte header", Where.file(f, 0));
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ORDER);
        while (b.hasRemaining()) if (ch.read(b, b.position()) < 0) break;
        if (b.getLong(HDR_MAGIC_64) != MAGIC_64)
            throw QuireException.integrity("not a slot file: bad magic 0x" + Long.toHexString(b.getLong(HDR_MAGIC_64)) + " (expected \"QSLOTS01\")", Where.file(f, HDR_MAGIC_64));
        int version = b.getInt(HDR_FORMAT_VERSION_32);
        if (version != FORMAT_VERSION)
            throw QuireException.integrity("slot file format version " + version + " is not supported (this build reads version " + FORMAT_VERSION + ")", Where.file(f, HDR_FORMAT_VERSION_32));
        int crc = crc(b);
        if (crc != b.getInt(HDR_CRC_32))
            throw QuireException.integrity("slot file header fails its CRC32C (stored 0x" + Integer.toHexString(b.getInt(HDR_CRC_32)) + ", computed 0x" + Integer.toHexString(crc) + "); the header is damaged — restore the file from ledger.state backups", Where.file(f, HDR_CRC_32));
        LedgerKind found = LedgerKind.ofCode(b.getInt(HDR_KIND_32));
        if (found == null)
            throw QuireException.integrity("slot file has unknown ledger kind code " + b.getInt(HDR_KIND_32), Where.file(f, HDR_KIND_32));
        if (found != kind)
            throw new QuireException(ErrorKind.INVALID_INPUT, "slot file is a " + found.fileName() + " ledger, opened as " + kind.fileName(), Where.file(f, HDR_KIND_32));
        mustEqual(f, "year", HDR_YEAR_32, b.getInt(HDR_YEAR_32), year);
        mustEqual(f, "symbols capacity", HDR_SYMBOLS_32, b.getInt(HDR_SYMBOLS_32), symbols);
        mustEqual(f, "minutes", HDR_MINUTES_32, b.getInt(HDR_MINUTES_32), minutes);
        if (b.getInt(HDR_ROW_BYTES_32) != kind.rowBytes() || b.getInt(HDR_SLOTS_PER_ROW_32) != kind.slotsPerRow()
                || b.getInt(HDR_SLOT_BYTES_32) != SLOT_BYTES || b.getLong(HDR_DATA_OFFSET_64) != HEADER_BYTES)
            throw QuireException.integrity("slot file geometry (row " + b.getInt(HDR_ROW_BYTES_32) + " B, " + b.getInt(HDR_SLOTS_PER_ROW_32)
                    + " slots, slot " + b.getInt(HDR_SLOT_BYTES_32) + " B) does not match format version " + FORMAT_VERSION, Where.file(f, HDR_ROW_BYTES_32));
        long expect = fileBytes(symbols, minutes, kind);
        if (b.getLong(HDR_FILE_BYTES_64) != expect || size != expect)
            throw QuireException.integrity("slot file is " + size + " bytes, header says " + b.getLong(HDR_FILE_BYTES_64) + ", geometry needs " + expect
                    + " (truncated or extended by something else?)", Where.file(f, HDR_FILE_BYTES_64));
    }

    private static void mustEqual(String f, String what, int off, int stored, int asked) {
        if (stored != asked)
            throw new QuireException(ErrorKind.INVALID_INPUT, "slot file was created for " + what + " " + stored + ", opened with " + asked
                    + " (minute_idx and symbol ids would address other slots)", Where.file(f, off));
    }
}
