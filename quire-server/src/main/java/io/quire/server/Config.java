package io.quire.server;

import io.quire.context.ContextLimits;
import io.quire.context.ContextOptions;
import io.quire.core.Durability;
import io.quire.core.QuireException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How {@code quire serve} runs. Built from flags over environment over defaults (DESIGN §8):
 * {@link #parse(List, Map)}.
 *
 * @param dir             the ledger directory (created with {@code quire init} first)
 * @param bind            the address to listen on; 127.0.0.1 unless told otherwise
 * @param grpcPort        gRPC port, 0 = any free port
 * @param httpPort        HTTP port for /metrics, /healthz, /readyz; 0 = any free port, -1 = off
 * @param tokens          bearer token → role; empty = no authentication
 * @param tlsCert         PEM certificate chain, or null for plaintext
 * @param tlsKey          PEM PKCS#8 private key, with tlsCert
 * @param messageBytesMax largest inbound gRPC message
 * @param durability      when an append is acknowledged
 * @param context         watch limits
 * @param drainMs         how long a graceful shutdown waits for in-flight calls
 * @param eventLoops      Netty event-loop threads for the gRPC connections (handlers run on virtual threads, not on them)
 */
public record Config(Path dir, String bind, int grpcPort, int httpPort, Map<String, Role> tokens, Path tlsCert, Path tlsKey,
                     int messageBytesMax, Durability durability, ContextOptions context, long drainMs, int eventLoops) {

    public static final String BIND_DEFAULT = "127.0.0.1";
    public static final int GRPC_PORT_DEFAULT = 50051;
    public static final int HTTP_PORT_DEFAULT = 9464;

    public Config {
        if (dir == null) throw QuireException.invalid("a ledger directory is needed (--dir or QUIRE_DIR)");
        if (bind == null || bind.isBlank()) bind = BIND_DEFAULT;
        checkPort("gRPC port", grpcPort, false);
        checkPort("HTTP port", httpPort, true);
        tokens = Map.copyOf(tokens == null ? Map.of() : tokens);
        for (String t : tokens.keySet()) checkToken(t);
        if ((tlsCert == null) != (tlsKey == null)) throw QuireException.invalid("TLS needs both --tls-cert and --tls-key");
        if (messageBytesMax < ServerLimits.MESSAGE_BYTES_MIN) {
            throw QuireException.invalid("max message size must be at least " + ServerLimits.MESSAGE_BYTES_MIN + " bytes (MESSAGE_BYTES_MIN), got " + messageBytesMax);
        }
        if (durability == null) durability = Durability.SYNC;
        if (context == null) context = ContextOptions.defaults();
        if (drainMs < 0) throw QuireException.invalid("drain time must be >= 0 ms, got " + drainMs);
        checkEventLoops(eventLoops);
    }

    /** Defaults for a ledger directory. */
    public static Config defaults(Path dir) {
        return new Config(dir, BIND_DEFAULT, GRPC_PORT_DEFAULT, HTTP_PORT_DEFAULT, Map.of(), null, null,
                ServerLimits.MESSAGE_BYTES_DEFAULT, Durability.SYNC, ContextOptions.defaults(), ServerLimits.DRAIN_MS_DEFAULT,
                ServerLimits.EVENT_LOOPS_DEFAULT);
    }

    public Config withPorts(int grpc, int http) {
        return new Config(dir, bind, grpc, http, tokens, tlsCert, tlsKey, messageBytesMax, durability, context, drainMs, eventLoops);
    }

    public Config withTokens(Map<String, Role> t) {
        return new Config(dir, bind, grpcPort, httpPort, t, tlsCert, tlsKey, messageBytesMax, durability, context, drainMs, eventLoops);
    }

    public Config withTls(Path cert, Path key) {
        return new Config(dir, bind, grpcPort, httpPort, tokens, cert, key, messageBytesMax, durability, context, drainMs, eventLoops);
    }

    public Config withContext(ContextOptions c) {
        return new Config(dir, bind, grpcPort, httpPort, tokens, tlsCert, tlsKey, messageBytesMax, durability, c, drainMs, eventLoops);
    }

    public Config withEventLoops(int n) {
        return new Config(dir, bind, grpcPort, httpPort, tokens, tlsCert, tlsKey, messageBytesMax, durability, context, drainMs, n);
    }

    public Config withDurability(Durability d) {
        return new Config(dir, bind, grpcPort, httpPort, tokens, tlsCert, tlsKey, messageBytesMax, d, context, drainMs, eventLoops);
    }

    public static final String USAGE = """
            Usage: quire serve [options]
              --dir PATH               ledger directory (env QUIRE_DIR; required)
              --bind ADDR              listen address (env QUIRE_BIND; default 127.0.0.1)
              --grpc-port N            gRPC port (env GRPC_PORT or QUIRE_GRPC_PORT; default 50051; 0 = any)
              --http-port N            HTTP /metrics /healthz /readyz port (env QUIRE_HTTP_PORT; default 9464; -1 = off)
              --token ROLE:TOKEN       a bearer token for role reader|writer|admin, repeatable
                                       (env QUIRE_TOKENS=ROLE:TOKEN,ROLE:TOKEN; tokens are 16..512 characters)
              --tls-cert PEM           certificate chain (env QUIRE_TLS_CERT)
              --tls-key PEM            PKCS#8 private key (env QUIRE_TLS_KEY)
              --max-message-bytes N    largest inbound gRPC message (default %d bytes)
              --durability MODE        sync | none | interval=<ms> (env QUIRE_DURABILITY; default sync)
              --watch-lag-entries N    end a watcher further behind than N entries (default %d entries)
              --watch-stall-ms N       end a watcher whose client has not read for N ms (default %d ms)
              --watchers-max N         running watches in the server (default %d)
              --drain-ms N             graceful shutdown wait for in-flight calls (default %d ms)
              --event-loops N          network threads for the gRPC connections, 1..%d (default: one per CPU, here %d)
            """.formatted(ServerLimits.MESSAGE_BYTES_DEFAULT, ContextLimits.WATCH_LAG_ENTRIES_DEFAULT,
            ContextLimits.WATCH_STALL_MS_DEFAULT, ContextLimits.WATCHERS_TOTAL_DEFAULT, ServerLimits.DRAIN_MS_DEFAULT,
            ServerLimits.EVENT_LOOPS_MAX, ServerLimits.EVENT_LOOPS_DEFAULT);

    /**
     * A value from the ledger's {@code quire.yaml}, as text, with where it came from
     * ({@code config file F, line N, key 'grpc_port'}) for error messages.
     */
    public record FileValue(String text, String origin) {}

    /**
     * The server's keys in {@code quire.yaml} (DESIGN §8) and the option each sets. {@code durability} is a ledger
     * key the CLI's strict config parser owns; {@code quire serve} passes it here as the file's durability.
     * {@code tokens} is one string {@code "ROLE:TOKEN,ROLE:TOKEN"}, as {@code QUIRE_TOKENS}.
     */
    public static final Map<String, String> FILE_KEYS = fileKeys();

    private static Map<String, String> fileKeys() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String o : List.of("bind", "grpc-port", "http-port", "tokens", "tls-cert", "tls-key", "max-message-bytes",
                "watch-lag-entries", "watch-stall-ms", "watchers-max", "drain-ms", "event-loops")) {
            m.put(o.replace('-', '_'), o);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Flags over environment over defaults. Unknown flags and bad values are INVALID_INPUT naming them. */
    public static Config parse(List<String> args, Map<String, String> env) { return parse(args, env, Map.of()); }

    /**
     * Flags over environment over {@code file} (option name → value from quire.yaml, see {@link #FILE_KEYS}) over
     * defaults. Unknown flags and bad values are INVALID_INPUT naming the flag, the variable or the file, line and key.
     */
    public static Config parse(List<String> args, Map<String, String> env, Map<String, FileValue> file) {
        return parse(collect(args, env, file));
    }

    /** One setting of {@code quire serve} as {@link #parse} resolves it, for {@code quire config}. */
    public record Setting(String key, Object value, String source, String from) {}

    /**
     * The settings {@link #parse} would resolve from the same sources, each with its source ({@code flag}, {@code env},
     * {@code file} or {@code default}) and origin, keyed by their quire.yaml names ({@link #FILE_KEYS}) in that order.
     * {@code tokens} shows each token's role, never the token. Bad values are refused as by {@link #parse}.
     */
    public static List<Setting> describe(List<String> args, Map<String, String> env, Map<String, FileValue> file) {
        Raw raw = collect(args, env, file);
        Config c = parse(raw);
        List<Setting> out = new ArrayList<>();
        for (Map.Entry<String, String> k : FILE_KEYS.entrySet()) {
            String option = k.getValue();
            Object value = switch (option) {
                case "bind" -> c.bind();
                case "grpc-port" -> c.grpcPort();
                case "http-port" -> c.httpPort();
                case "tokens" -> c.tokens().values().stream().map(r -> r.name().toLowerCase(java.util.Locale.ROOT)).sorted().toList();
                case "tls-cert" -> c.tlsCert() == null ? null : c.tlsCert().toString();
                case "tls-key" -> c.tlsKey() == null ? null : c.tlsKey().toString();
                case "max-message-bytes" -> c.messageBytesMax();
                case "watch-lag-entries" -> c.context().watchLagEntriesMax();
                case "watch-stall-ms" -> c.context().watchStallMsMax();
                case "watchers-max" -> c.context().watchersTotalMax();
                case "drain-ms" -> c.drainMs();
                case "event-loops" -> c.eventLoops();
                default -> throw new IllegalStateException("FILE_KEYS has " + option + " without a value here");
            };
            String from = option.equals("tokens") ? raw.tokensFrom() : raw.from().get(option);
            out.add(new Setting(k.getKey(), value, sourceOf(from), from == null ? "built-in default" : from));
        }
        return out;
    }

    private static String sourceOf(String from) {
        if (from == null) return "default";
        if (from.startsWith("--")) return "flag";
        if (from.startsWith("environment variable ")) return "env";
        return "file";
    }

    /** The sources merged, before any value is checked: option → text and option → where it came from. */
    private record Raw(Map<String, String> v, Map<String, String> from, List<String> tokenSpecs, String tokensFrom) {}

    private static Raw collect(List<String> args, Map<String, String> env, Map<String, FileValue> file) {
        Map<String, String> v = new LinkedHashMap<>();
        Map<String, String> from = new LinkedHashMap<>();
        List<String> tokenSpecs = new ArrayList<>();
        String tokensFrom = null;
        for (Map.Entry<String, FileValue> e : file.entrySet()) {
            if (e.getKey().equals("tokens")) {
                tokenSpecs = splitTokens(e.getValue().text());
                tokensFrom = e.getValue().origin();
            } else if (FILE_KEYS.containsValue(e.getKey()) || e.getKey().equals("durability")) {
                v.put(e.getKey(), e.getValue().text().trim());
                from.put(e.getKey(), e.getValue().origin());
            } else {
                throw new IllegalArgumentException("bad file key in Config.parse: " + e.getKey());
            }
        }
        envTo(v, env, "QUIRE_DIR", "dir");
        envTo(v, env, "QUIRE_BIND", "bind");
        envTo(v, env, "QUIRE_GRPC_PORT", "grpc-port");
        envTo(v, env, "GRPC_PORT", "grpc-port");
        envTo(v, env, "QUIRE_HTTP_PORT", "http-port");
        envTo(v, env, "QUIRE_TLS_CERT", "tls-cert");
        envTo(v, env, "QUIRE_TLS_KEY", "tls-key");
        envTo(v, env, "QUIRE_DURABILITY", "durability");
        for (String var : List.of("QUIRE_DIR", "QUIRE_BIND", "QUIRE_GRPC_PORT", "GRPC_PORT", "QUIRE_HTTP_PORT", "QUIRE_TLS_CERT",
                "QUIRE_TLS_KEY", "QUIRE_DURABILITY")) {
            String s = env.get(var);
            if (s != null && !s.isBlank()) from.put(envName(var), "environment variable " + var);
        }
        String envTokens = env.get("QUIRE_TOKENS");
        if (envTokens != null && !envTokens.isBlank()) {
            tokenSpecs = splitTokens(envTokens);
            tokensFrom = "environment variable QUIRE_TOKENS";
        }
        List<String> flagTokens = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String name;
            String value;
            if (!a.startsWith("--")) throw QuireException.invalid("unexpected argument '" + a + "'\n" + USAGE);
            int eq = a.indexOf('=');
            if (eq > 0) {
                name = a.substring(2, eq);
                value = a.substring(eq + 1);
            } else {
                name = a.substring(2);
                if (name.equals("help")) throw QuireException.invalid(USAGE);
                if (i + 1 >= args.size()) throw QuireException.invalid("--" + name + " needs a value");
                value = args.get(++i);
            }
            switch (name) {
                case "dir", "bind", "grpc-port", "http-port", "tls-cert", "tls-key", "max-message-bytes", "durability",
                     "watch-lag-entries", "watch-stall-ms", "watchers-max", "drain-ms", "event-loops" -> { v.put(name, value); from.put(name, "--" + name); }
                case "port" -> { v.put("grpc-port", value); from.put("grpc-port", "--port"); }
                case "token" -> flagTokens.add(value);
                default -> throw QuireException.invalid("unknown option --" + name + "\n" + USAGE);
            }
        }
        if (!flagTokens.isEmpty()) {
            tokenSpecs = flagTokens; // flags replace the environment's (or the file's) tokens
            tokensFrom = "--token";
        }
        return new Raw(v, from, tokenSpecs, tokensFrom);
    }

    private static Config parse(Raw raw) {
        Map<String, String> v = raw.v(), from = raw.from();
        List<String> tokenSpecs = raw.tokenSpecs();
        String tokensFrom = raw.tokensFrom();
        Map<String, Role> tokens = new LinkedHashMap<>();
        for (String spec : tokenSpecs) {
            String where = tokensFrom;
            named(where, () -> {
                int c = spec.indexOf(':');
                if (c <= 0) throw QuireException.invalid("a token is ROLE:TOKEN, got something without a role");
                checkToken(spec.substring(c + 1));
                tokens.put(spec.substring(c + 1), Role.parse(spec.substring(0, c)));
            });
        }
        checkValues(v, from);
        ContextOptions ctx = new ContextOptions(
                number(v, "watch-lag-entries", ContextLimits.WATCH_LAG_ENTRIES_DEFAULT),
                number(v, "watch-stall-ms", ContextLimits.WATCH_STALL_MS_DEFAULT),
                (int) number(v, "watchers-max", ContextLimits.WATCHERS_TOTAL_DEFAULT));
        return new Config(
                v.containsKey("dir") ? Path.of(v.get("dir")) : null,
                v.getOrDefault("bind", BIND_DEFAULT),
                (int) number(v, "grpc-port", GRPC_PORT_DEFAULT),
                (int) number(v, "http-port", HTTP_PORT_DEFAULT),
                tokens,
                v.containsKey("tls-cert") ? Path.of(v.get("tls-cert")) : null,
                v.containsKey("tls-key") ? Path.of(v.get("tls-key")) : null,
                (int) number(v, "max-message-bytes", ServerLimits.MESSAGE_BYTES_DEFAULT),
                v.containsKey("durability") ? Durability.parse(v.get("durability")) : Durability.SYNC,
                ctx,
                number(v, "drain-ms", ServerLimits.DRAIN_MS_DEFAULT),
                (int) number(v, "event-loops", ServerLimits.EVENT_LOOPS_DEFAULT));
    }

    /** Each value checked once more with its origin in the message, so a bad one names its flag, variable or file line. */
    private static void checkValues(Map<String, String> v, Map<String, String> from) {
        for (String name : List.of("grpc-port", "http-port")) {
            if (!v.containsKey(name)) continue;
            named(from.get(name), () -> {
                long n = number(v, name, 0);
                checkPort(name.equals("grpc-port") ? "gRPC port" : "HTTP port", (int) n, name.equals("http-port"));
            });
        }
        for (String name : List.of("max-message-bytes", "watch-lag-entries", "watch-stall-ms", "watchers-max", "drain-ms")) {
            if (v.containsKey(name)) named(from.get(name), () -> {
                if (number(v, name, 0) < 0) throw QuireException.invalid("must be >= 0, got " + v.get(name));
            });
        }
        if (v.containsKey("event-loops")) named(from.get("event-loops"), () -> checkEventLoops(number(v, "event-loops", 0)));
        if (v.containsKey("durability")) named(from.get("durability"), () -> Durability.parse(v.get("durability")));
        if (v.containsKey("bind") && v.get("bind").isBlank()) named(from.get("bind"), () -> { throw QuireException.invalid("must not be empty"); });
    }

    /** Runs a check; its INVALID_INPUT is reworded to start with {@code where}. */
    private static void named(String where, Runnable check) {
        try {
            check.run();
        } catch (QuireException e) {
            if (where == null || e.kind() != io.quire.core.ErrorKind.INVALID_INPUT) throw e;
            throw QuireException.invalid(where + ": " + e.reason());
        }
    }

    private static List<String> splitTokens(String s) {
        List<String> out = new ArrayList<>();
        for (String t : s.split(",")) if (!t.isBlank()) out.add(t.trim());
        return out;
    }

    private static String envName(String var) {
        return switch (var) {
            case "QUIRE_GRPC_PORT", "GRPC_PORT" -> "grpc-port";
            default -> var.substring("QUIRE_".length()).toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        };
    }

    private static void envTo(Map<String, String> v, Map<String, String> env, String var, String name) {
        String s = env.get(var);
        if (s != null && !s.isBlank()) v.put(name, s.trim());
    }

    private static long number(Map<String, String> v, String name, long dflt) {
        String s = v.get(name);
        if (s == null) return dflt;
        try {
            long n = Long.parseLong(s.trim());
            if (n > Integer.MAX_VALUE && !name.startsWith("watch-")) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw QuireException.invalid("--" + name + " must be a number, got '" + s + "'");
        }
    }

    private static void checkPort(String what, int p, boolean mayBeOff) {
        if (p == -1 && mayBeOff) return;
        if (p < 0 || p > 65535) throw QuireException.invalid(what + " must be 0..65535" + (mayBeOff ? " or -1 (off)" : "") + ", got " + p);
    }

    private static void checkEventLoops(long n) {
        if (n < 1 || n > ServerLimits.EVENT_LOOPS_MAX) {
            throw QuireException.invalid("event loops must be 1.." + ServerLimits.EVENT_LOOPS_MAX + " (EVENT_LOOPS_MAX), got " + n);
        }
    }

    private static void checkToken(String t) {
        if (t.length() < ServerLimits.TOKEN_CHARS_MIN || t.length() > ServerLimits.TOKEN_CHARS_MAX) {
            throw QuireException.invalid("a token must be " + ServerLimits.TOKEN_CHARS_MIN + ".." + ServerLimits.TOKEN_CHARS_MAX
                    + " characters (TOKEN_CHARS_MIN..TOKEN_CHARS_MAX), got " + t.length());
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c <= 0x20 || c >= 0x7f) throw QuireException.invalid("a token must be printable ASCII without spaces");
        }
    }

    /** True when the TLS files exist (checked at start, with a clear message). */
    boolean tlsFilesReadable() { return tlsCert == null || Files.isReadable(tlsCert) && Files.isReadable(tlsKey); }
}
