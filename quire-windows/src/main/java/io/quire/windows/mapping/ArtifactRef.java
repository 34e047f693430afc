package io.quire.windows.mapping;

import java.util.Objects;

/**
 * Where a batch of rows lives in an artifact (a flat file or a partition of one): the engines
 * issue's trade and quote payloads "point into artifacts" rather than inlining rows.
 *
 * @param artifact    the file or partition id, 1..{@link MappingLimits#ARTIFACT_BYTES_MAX} bytes
 *                    of UTF-8 without control characters (e.g. {@code trades/2025-01-02.csv.gz#p7})
 * @param offset      byte offset of the first row in the artifact, ≥ 0
 * @param length      bytes of the rows, ≥ 0
 * @param recordCount rows in the batch, ≥ 0
 * @param firstTsNs   timestamp of the first row, epoch nanoseconds
 * @param lastTsNs    timestamp of the last row, ≥ {@code firstTsNs}
 */
public record ArtifactRef(String artifact, long offset, long length, long recordCount, long firstTsNs, long lastTsNs) {
    public ArtifactRef {
        Objects.requireNonNull(artifact, "artifact");
        Codec.require(!artifact.isEmpty(), "artifact must not be empty");
        int bytes = BodyWriter.utf8(artifact).length;
        Codec.require(bytes <= MappingLimits.ARTIFACT_BYTES_MAX, "artifact is " + bytes + " bytes; the limit is " + MappingLimits.ARTIFACT_BYTES_MAX + " (ARTIFACT_BYTES_MAX)");
        Codec.require(new String(BodyWriter.utf8(artifact), java.nio.charset.StandardCharsets.UTF_8).equals(artifact),
                "artifact has an unpaired surrogate (not encodable as UTF-8)");
        Codec.require(artifact.chars().noneMatch(Character::isISOControl), "artifact must not contain control characters");
        Codec.require(offset >= 0, "artifact offset " + offset + " is negative");
        Codec.require(length >= 0, "artifact length " + length + " is negative");
        Codec.require(recordCount >= 0, "record count " + recordCount + " is negative");
        Codec.require(firstTsNs <= lastTsNs, "first_ts " + firstTsNs + " is after last_ts " + lastTsNs);
    }

    /** Body bytes: first_ts i64, last_ts i64, offset i64, length i64, record_count i64, n u16, artifact n bytes UTF-8. */
    static final int FIXED_BYTES = 5 * 8 + 2;

    void encode(BodyWriter w) {
        byte[] a = BodyWriter.utf8(artifact);
        w.i64(firstTsNs).i64(lastTsNs).i64(offset).i64(length).i64(recordCount).u16(a.length).bytes(a);
    }

    static ArtifactRef decode(BodyReader r) {
        long first = r.i64("first_ts_ns");
        long last = r.i64("last_ts_ns");
        long off = r.count("offset");
        long len = r.count("length");
        long count = r.count("record_count");
        String artifact = r.text(r.u16("artifact length"), MappingLimits.ARTIFACT_BYTES_MAX, true, "artifact");
        return Codec.construct(r, () -> new ArtifactRef(artifact, off, len, count, first, last));
    }
}
