package io.quire.core;

/**
 * Where a failure was found: any of file, byte offset, stream and sequence may be unknown
 * ({@code null} / {@code -1}). Rendered as {@code file=… offset=… stream=… seq=…}.
 */
public record Where(String file, long offset, String stream, long seq, long position) {
    public static final Where NOWHERE = new Where(null, -1, null, -1, -1);

    public static Where file(String file, long offset) { return new Where(file, offset, null, -1, -1); }
    public static Where stream(String stream, long seq) { return new Where(null, -1, stream, seq, -1); }

    public Where withStream(String s, long q) { return new Where(file, offset, s, q, position); }
    public Where withPosition(long p) { return new Where(file, offset, stream, seq, p); }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (file != null) b.append("file=").append(file).append(' ');
        if (offset >= 0) b.append("offset=").append(offset).append(' ');
        if (stream != null) b.append("stream=").append(stream).append(' ');
        if (seq >= 0) b.append("seq=").append(seq).append(' ');
        if (position >= 0) b.append("position=").append(position).append(' ');
        return b.toString().trim();
    }
}
