package io.quire.cli;

import io.grpc.ManagedChannel;
import io.quire.client.ContextClient;
import io.quire.client.QuireChannels;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;

/**
 * How {@code quire context ...} reaches a {@code quire serve}: address, bearer token, TLS trust and deadline
 * (docs/CLI.md "quire context"). Flags over environment over defaults; every value is checked before a
 * connection is made, so a bad one is exit 1 naming it and nothing is sent.
 */
final class ServerOptions {
    /** The environment variable naming the server when --server is not given. */
    static final String SERVER_ENV = "QUIRE_SERVER";
    /** The environment variable holding the bearer token when --token is not given. */
    static final String TOKEN_ENV = "QUIRE_TOKEN";
    static final String SERVER_DEFAULT = "127.0.0.1:50051";
    /** Per-attempt deadline of a unary call, as the client library's default. */
    static final long TIMEOUT_MS_DEFAULT = 10_000;

    static {
        if (TIMEOUT_MS_DEFAULT != ContextClient.DEADLINE_DEFAULT.toMillis()) throw new ExceptionInInitializerError("bad TIMEOUT_MS_DEFAULT");
    }
    static final long TIMEOUT_MS_MAX = 3_600_000;
    /** Longest bearer token the CLI sends (the server accepts 16..512 characters). */
    static final int TOKEN_CHARS_MAX = 512;

    @Option(names = "--server", paramLabel = "HOST:PORT",
            description = "Server address ([::1]:PORT for IPv6). Default: $" + SERVER_ENV + ", else " + SERVER_DEFAULT + ".")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Bearer token sent as 'authorization: Bearer TOKEN'. Default: $" + TOKEN_ENV + ", else none "
                    + "(prefer the variable: a flag shows in 'ps').")
    String token;

    @Option(names = "--tls", description = "Use TLS, trusting the system's certificate authorities. Default: plaintext.")
    boolean tls;

    @Option(names = "--ca", paramLabel = "PEM",
            description = "Use TLS, trusting the certificates in PEM (e.g. the server's self-signed certificate). Default: none.")
    Path ca;

    @Option(names = "--timeout", paramLabel = "MS",
            description = "Deadline of each call attempt in milliseconds, 1.." + TIMEOUT_MS_MAX + ". Default: " + TIMEOUT_MS_DEFAULT + " ms.")
    Long timeoutMs;

    /** A parsed HOST:PORT. */
    record Address(String host, int port) {
        @Override public String toString() { return (host.contains(":") ? "[" + host + "]" : host) + ":" + port; }
    }

    Address address(Map<String, String> env) {
        String s = server;
        String from = "--server";
        if (s == null) {
            String e = env.get(SERVER_ENV);
            if (e != null && !e.isBlank()) {
                s = e;
                from = "environment variable " + SERVER_ENV;
            } else {
                s = SERVER_DEFAULT;
            }
        }
        return parseAddress(s, from);
    }

    static Address parseAddress(String s, String from) {
        String bad = from + ": expected HOST:PORT (e.g. 127.0.0.1:50051 or [::1]:50051), got '" + s + "'";
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) throw new CliUsageException(bad);
        String host = s.substring(0, colon);
        String portText = s.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        else if (host.contains(":")) throw new CliUsageException(bad + " (put an IPv6 address in brackets)");
        if (host.isEmpty() || host.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '@' || c == '[' || c == ']')) {
            throw new CliUsageException(bad);
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new CliUsageException(bad + " (the port is not a number)");
        }
        if (port < 1 || port > 65535) throw new CliUsageException(from + ": port must be 1..65535, got " + port);
        try {
            URI.create("dns://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
        } catch (IllegalArgumentException e) {
            throw new CliUsageException(bad);
        }
        return new Address(host, port);
    }

    /** The token: --token, else $QUIRE_TOKEN, else null. */
    String token(Map<String, String> env) {
        String t = token;
        String from = "--token";
        if (t == null) {
            t = env.get(TOKEN_ENV);
            from = "environment variable " + TOKEN_ENV;
            if (t == null || t.isEmpty()) return null;
        }
        if (t.isEmpty() || t.length() > TOKEN_CHARS_MAX || !t.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
            throw new CliUsageException(from + ": a token is 1.." + TOKEN_CHARS_MAX + " printable ASCII characters without spaces");
        }
        return t;
    }

    Duration timeout() {
        long ms = timeoutMs == null ? TIMEOUT_MS_DEFAULT : timeoutMs;
        if (ms < 1 || ms > TIMEOUT_MS_MAX) throw new CliUsageException("--timeout: must be 1.." + TIMEOUT_MS_MAX + " ms, got " + ms);
        return Duration.ofMillis(ms);
    }

    /** Checks every option; call before reading input or connecting. */
    void check(Map<String, String> env) {
        address(env);
        token(env);
        timeout();
        if (ca != null && !Files.isRegularFile(ca)) {
            throw new UncheckedIOException("--ca: cannot read " + ca, new NoSuchFileException(ca.toString()));
        }
    }

    ManagedChannel channel(Map<String, String> env) {
        Address a = address(env);
        return tls || ca != null ? QuireChannels.tls(a.host(), a.port(), ca) : QuireChannels.plaintext(a.host(), a.port());
    }
}
