package io.quire.windows.mapping;

/**
 * A torn tail found when a mapping file was opened: the bytes of the last, unacknowledged append
 * that did not all reach the disk. An appending open truncated them (and fsynced); a read-only
 * open left them alone and only ignores them.
 *
 * @param tornOffset where the first incomplete or damaged record starts
 * @param tornBytes  bytes from there to the end of the file
 * @param reason     what was wrong with that record
 * @param truncated  whether the file was truncated at {@code tornOffset}
 */
public record Recovery(long tornOffset, long tornBytes, String reason, boolean truncated) {
    @Override
    public String toString() {
        return (truncated ? "truncated" : "ignored") + " a torn tail of " + tornBytes + " bytes at offset " + tornOffset + " (" + reason + ")";
    }
}
