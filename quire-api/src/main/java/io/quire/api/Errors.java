package io.quire.api;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.quire.core.ErrorKind;
import io.quire.core.QuireException;

import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one place where a failure becomes a gRPC {@link Status} (the table in docs/API.md "Errors").
 * Server code throws {@link QuireException}s; the service boundary calls {@link #toStatus}.
 *
 * <table>
 *   <caption>QuireException → Status</caption>
 *   <tr><th>kind / code</th><th>status</th><th>why</th></tr>
 *   <tr><td>INVALID_INPUT</td><td>INVALID_ARGUMENT</td><td>the request's own fields (including a field over its
 *       named limit: payload, id, key, metadata, context id) or a corrupt/tampered/newer snapshot; retrying the
 *       same request cannot help. RESOURCE_EXHAUSTED is kept for server capacity: a gRPC message over the
 *       transport limit (gRPC itself), too many watchers, a lagging watcher, a snapshot too large to send.</td></tr>
 *   <tr><td>NOT_FOUND</td><td>NOT_FOUND</td><td></td></tr>
 *   <tr><td>CONFLICT already_exists</td><td>ALREADY_EXISTS</td><td>fail_if_exists on a non-empty context</td></tr>
 *   <tr><td>CONFLICT id_reused</td><td>ALREADY_EXISTS</td><td>an idempotency id names another entry</td></tr>
 *   <tr><td>CONFLICT divergent_history</td><td>FAILED_PRECONDITION</td><td>the context is not a prefix of the snapshot</td></tr>
 *   <tr><td>CONFLICT too_many_watchers</td><td>RESOURCE_EXHAUSTED</td><td>retry later</td></tr>
 *   <tr><td>CONFLICT too_large</td><td>RESOURCE_EXHAUSTED</td><td>a Get answer or snapshot over the server's byte limit</td></tr>
 *   <tr><td>CONFLICT lagging</td><td>RESOURCE_EXHAUSTED</td><td>a watcher fell behind; resume from its last sequence</td></tr>
 *   <tr><td>CONFLICT read_only</td><td>FAILED_PRECONDITION</td><td>a follower refuses writes</td></tr>
 *   <tr><td>CONFLICT (other)</td><td>FAILED_PRECONDITION</td><td></td></tr>
 *   <tr><td>INTEGRITY</td><td>DATA_LOSS</td><td>stored bytes failed a check; with an incident id</td></tr>
 *   <tr><td>IO</td><td>UNAVAILABLE</td><td>disk full, permissions, ledger closing; with an incident id</td></tr>
 *   <tr><td>anything else</td><td>INTERNAL</td><td>a bug; with an incident id</td></tr>
 * </table>
 *
 * <p>Every status carries the trailer {@link #ERROR_KIND_KEY} (and {@link #ERROR_CODE_KEY} when the
 * exception has a code); the server-side ones (DATA_LOSS, UNAVAILABLE, INTERNAL) also carry
 * {@link #INCIDENT_KEY}, an id that is logged with the stack trace, and say it in the description.
 */
public final class Errors {
    private Errors() {}

    private static final System.Logger LOG = System.getLogger("io.quire.api.Errors");

    /** Trailer: the {@link ErrorKind} name of the failure. */
    public static final Metadata.Key<String> ERROR_KIND_KEY = Metadata.Key.of("quire-error-kind", Metadata.ASCII_STRING_MARSHALLER);
    /** Trailer: the finer {@link QuireException#code()} (already_exists, divergent_history, …). */
    public static final Metadata.Key<String> ERROR_CODE_KEY = Metadata.Key.of("quire-error-code", Metadata.ASCII_STRING_MARSHALLER);
    /** Trailer: the id under which the server logged a server-side failure. */
    public static final Metadata.Key<String> INCIDENT_KEY = Metadata.Key.of("quire-incident-id", Metadata.ASCII_STRING_MARSHALLER);

    /** Longest status description sent: longer messages are cut (they may quote user input). */
    public static final int DESCRIPTION_CHARS_MAX = 1024;

    /** The status code for a core failure (the table above). */
    public static Status.Code codeFor(QuireException e) {
        return switch (e.kind()) {
            case INVALID_INPUT -> Status.Code.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.Code.NOT_FOUND;
            case INTEGRITY -> Status.Code.DATA_LOSS;
            case IO -> Status.Code.UNAVAILABLE;
            case CONFLICT -> switch (e.code() == null ? "" : e.code()) {
                case "already_exists", "id_reused" -> Status.Code.ALREADY_EXISTS;
                case "too_many_watchers", "too_large", "lagging" -> Status.Code.RESOURCE_EXHAUSTED;
                default -> Status.Code.FAILED_PRECONDITION; // divergent_history, read_only, others
            };
        };
    }

    /** Turns any failure into the status exception to send; server-side failures are logged with an incident id. */
    public static StatusRuntimeException toStatus(Throwable t) {
        Throwable c = unwrap(t);
        if (c instanceof StatusRuntimeException s) return s;
        if (c instanceof StatusException s) return new StatusRuntimeException(s.getStatus(), s.getTrailers());
        Metadata trailers = new Metadata();
        if (c instanceof QuireException q) {
            Status.Code code = codeFor(q);
            trailers.put(ERROR_KIND_KEY, q.kind().name());
            if (q.code() != null) trailers.put(ERROR_CODE_KEY, q.code());
            String description = q.getMessage();
            if (code == Status.Code.DATA_LOSS || code == Status.Code.UNAVAILABLE) {
                String id = incident(q);
                trailers.put(INCIDENT_KEY, id);
                description = description + " [incident " + id + "]";
            }
            return Status.fromCode(code).withDescription(cut(description)).asRuntimeException(trailers);
        }
        String id = incident(c);
        trailers.put(INCIDENT_KEY, id);
        return Status.INTERNAL.withDescription("internal error; look for incident " + id + " in the server log")
                .asRuntimeException(trailers);
    }

    /** A status for server capacity: the caller may retry later or with less. */
    public static StatusRuntimeException exhausted(String message) {
        return Status.RESOURCE_EXHAUSTED.withDescription(cut(message)).asRuntimeException();
    }

    /** True when retrying the same call may succeed: the server was unavailable, or the call was cut short. */
    public static boolean isRetryable(Status.Code code) {
        return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED
                || code == Status.Code.ABORTED || code == Status.Code.RESOURCE_EXHAUSTED;
    }

    private static String incident(Throwable t) {
        String id = UUID.randomUUID().toString();
        LOG.log(System.Logger.Level.ERROR, "incident " + id + ": " + t, t);
        return id;
    }

    static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) c = c.getCause();
        return c;
    }

    private static String cut(String s) {
        if (s == null) return null;
        return s.length() <= DESCRIPTION_CHARS_MAX ? s : s.substring(0, DESCRIPTION_CHARS_MAX) + "…";
    }
}
