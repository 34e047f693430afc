package io.quire.core;

import java.util.Objects;

/**
 * The one exception type the core throws for expected failures: bad input, corruption, missing
 * things, conflicts and I/O. It carries a {@link ErrorKind} (mapped to exit codes and gRPC
 * status at the boundary) and a {@link Where}. Broken internal logic is an
 * {@link IllegalStateException} ("bad math in …") instead, never this type.
 */
public class QuireException extends RuntimeException {
    private final ErrorKind kind;
    private final Where where;
    private String code;

    public QuireException(ErrorKind kind, String message) { this(kind, message, Where.NOWHERE, null); }

    public QuireException(ErrorKind kind, String message, Where where) { this(kind, message, where, null); }

    public QuireException(ErrorKind kind, String message, Where where, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind);
        this.where = where == null ? Where.NOWHERE : where;
    }

    public ErrorKind kind() { return kind; }

    /**
     * A finer, stable reason for a CONFLICT or INVALID_INPUT ({@code already_exists},
     * {@code divergent_history}, {@code id_reused}, {@code too_many_watchers}, …) so the gRPC
     * boundary can pick its status; null when the kind says it all.
     */
    public String code() { return code; }

    public QuireException withCode(String c) {
        this.code = c;
        return this;
    }

    public Where where() { return where; }

    /** The message followed by the location, as printed by the CLI. */
    @Override
    public String getMessage() {
        String w = where.toString();
        return w.isEmpty() ? super.getMessage() : super.getMessage() + " (" + w + ")";
    }

    /** The message without the location. */
    public String reason() { return super.getMessage(); }

    public static QuireException invalid(String message) { return new QuireException(ErrorKind.INVALID_INPUT, message); }

    public static QuireException integrity(String message, Where where) { return new QuireException(ErrorKind.INTEGRITY, message, where); }

    public static QuireException notFound(String message) { return new QuireException(ErrorKind.NOT_FOUND, message); }

    public static QuireException conflict(String message) { return new QuireException(ErrorKind.CONFLICT, message); }

    public static QuireException io(String message, Where where, Throwable cause) { return new QuireException(ErrorKind.IO, message, where, cause); }
}
