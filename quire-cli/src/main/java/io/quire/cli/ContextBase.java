package io.quire.cli;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quire.api.context.v1.Entry;
import io.quire.client.ContextClient;
import io.quire.core.ErrorKind;
import io.quire.core.QuireException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * What the {@code quire context} subcommands share: the server options, one client per command, and the one
 * place where a gRPC status becomes a CLI exit code (docs/CLI.md "quire context", table "Statuses and exit codes").
 */
abstract class ContextBase extends BaseCommand implements JsonOutput {

    @Mixin ServerOptions server;

    @Option(names = "--json", description = "JSON output (see docs/CLI.md). Default: off.")
    boolean json;

    @Override public boolean json() { return json; }

    /** Runs {@code body} with a client to the server; closes both; a failed call becomes a {@link QuireException}. */
    <T> T withClient(Function<ContextClient, T> body) {
        Map<String, String> env = io().env();
        server.check(env);
        ManagedChannel ch = server.channel(env);
        try (ContextClient c = new ContextClient(ch, server.token(env)).withDeadline(server.timeout())) {
            return body.apply(c);
        } catch (StatusRuntimeException e) {
            throw failure(e.getStatus(), server.address(env).toString());
        } finally {
            ch.shutdownNow();
            try {
                ch.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The exit-code kind of a status: the inverse of the server's error table (docs/API.md "Errors"). */
    static ErrorKind kindOf(Status.Code code) {
        return switch (code) {
            case INVALID_ARGUMENT, OUT_OF_RANGE -> ErrorKind.INVALID_INPUT;
            case DATA_LOSS -> ErrorKind.INTEGRITY;
            case NOT_FOUND -> ErrorKind.NOT_FOUND;
            case ALREADY_EXISTS, FAILED_PRECONDITION, ABORTED, RESOURCE_EXHAUSTED, UNAUTHENTICATED, PERMISSION_DENIED ->
                    ErrorKind.CONFLICT;
            default -> ErrorKind.IO; // UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED, INTERNAL, UNKNOWN, UNIMPLEMENTED
        };
    }

    /** A failed call as the one-line error the CLI prints: the status, its description and advice. */
    static QuireException failure(Status s, String address) {
        String desc = s.getDescription() == null ? "" : ": " + s.getDescription();
        String advice = switch (s.getCode()) {
            case UNAVAILABLE -> " (is 'quire serve' running at " + address + "? check --server, or --tls/--ca for a TLS server)";
            case DEADLINE_EXCEEDED -> " (no answer within --timeout)";
            case UNAUTHENTICATED -> " (pass a valid --token or set " + ServerOptions.TOKEN_ENV + ")";
            case PERMISSION_DENIED -> " (the token's role may not call this)";
            default -> "";
        };
        if (s.getCode() == Status.Code.UNAVAILABLE && s.getCause() != null && desc.isEmpty()) desc = ": " + s.getCause().getMessage();
        return new QuireException(kindOf(s.getCode()), "server " + address + ": " + s.getCode() + desc + advice)
                .withCode(s.getCode().name().toLowerCase(java.util.Locale.ROOT));
    }

    /** The JSON object of one entry; {@code withPayload} false for what append prints. */
    static Map<String, Object> entryJson(String contextId, Entry e, boolean withPayload) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("context_id", contextId);
        m.put("sequence", e.getSequence());
        m.put("position", e.getPosition());
        m.put("id", e.getId());
        m.put("key", e.getKey());
        m.put("appended_at_ns", e.getAppendedAtNs());
        m.put("lamport", e.getLamport());
        m.put("metadata", new java.util.TreeMap<>(e.getMetadataMap()));
        if (withPayload) m.put("payload_base64", Base64.getEncoder().encodeToString(e.getPayload().toByteArray()));
        m.put("prev_hash", HexFormat.of().formatHex(e.getPrevHash().toByteArray()));
        m.put("hash", HexFormat.of().formatHex(e.getHash().toByteArray()));
        return m;
    }

    /** {@code sequence position id key payload}, as {@code quire read} prints a core entry. */
    static String entryLine(Entry e) {
        return e.getSequence() + " " + e.getPosition() + " " + Text.column(e.getId()) + " " + Text.column(e.getKey()) + " "
                + Text.payload(e.getPayload().toByteArray());
    }

    /** {@code sequence position hash}, as {@code quire append} prints. */
    static String appendedLine(Entry e) {
        return e.getSequence() + " " + e.getPosition() + " " + HexFormat.of().formatHex(e.getHash().toByteArray());
    }

    void printEntry(String contextId, Entry e) {
        println(json ? Json.line(entryJson(contextId, e, true)) : entryLine(e));
    }
}
