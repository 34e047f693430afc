package io.quire.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quire.core.Durability;
import io.quire.core.LedgerOptions;
import io.quire.core.Limits;
import io.quire.core.QuireException;
import io.quire.server.Config;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one owner of ledger configuration (DESIGN §8): each {@link Key} comes from its command-line
 * flag if given, else its environment variable ({@code QUIRE_*}), else {@code quire.yaml} in the
 * ledger directory, else {@link LedgerOptions#defaults()}.
 *
 * <p>Every source is checked in full whether or not a higher one overrides it: an unknown key, a
 * value of the wrong type or out of range, malformed YAML, or a bad environment variable is an
 * {@code INVALID_INPUT} error (exit 1) naming the file, line and key or the variable, never
 * ignored. Resolution happens before a ledger is opened, so such an error writes nothing.
 */
final class LedgerSettings {

    /** The configuration file's name inside the ledger directory. */
    static final String FILE_NAME = "quire.yaml";
    /** Largest configuration file read; a bigger one is refused rather than parsed. */
    static final int FILE_BYTES_MAX = 64 * 1024;

    /** Where a value came from, in order of precedence. */
    enum Source {
        FLAG, ENV, FILE, DEFAULT;

        String label() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    /** A configurable key: its name in quire.yaml, its flag and its environment variable. */
    enum Key {
        DURABILITY("durability", "--durability", "QUIRE_DURABILITY",
                "sync, none or interval=<ms> (1..60000)"),
        SEGMENT_BYTES("segment_bytes", "--segment-bytes", "QUIRE_SEGMENT_BYTES",
                "a whole number of bytes, " + Limits.SEGMENT_BYTES_MIN + ".." + Limits.SEGMENT_BYTES_MAX
                        + " (SEGMENT_BYTES_MIN..SEGMENT_BYTES_MAX)"),
        WATCHERS_PER_STREAM("watchers_per_stream", "--watchers-per-stream", "QUIRE_WATCHERS_PER_STREAM",
                "a whole number, 1.." + Integer.MAX_VALUE);

        final String yaml;
        final String flag;
        final String env;
        /** What a valid value looks like, for error messages. */
        final String expected;

        Key(String yaml, String flag, String env, String expected) {
            this.yaml = yaml;
            this.flag = flag;
            this.env = env;
            this.expected = expected;
        }

        static Key ofYaml(String name) {
            for (Key k : values()) if (k.yaml.equals(name)) return k;
            return null;
        }

        static String yamlNames() { return Arrays.stream(values()).map(k -> k.yaml).collect(Collectors.joining(", ")); }

        /**
         * Parses and checks a value given as text (a flag or an environment variable). The
         * exception's reason says what is wrong without naming where the text came from.
         */
        Object parse(String text) {
            return switch (this) {
                case DURABILITY -> Durability.parse(text);
                case SEGMENT_BYTES -> checkSegmentBytes(parseWhole(text));
                case WATCHERS_PER_STREAM -> checkWatchers(parseWhole(text));
            };
        }

        /** Checks a value that arrived typed (from YAML): a whole number for the numeric keys. */
        Object check(long whole) {
            return switch (this) {
                case DURABILITY -> throw QuireException.invalid("must be " + expected + ", got the number " + whole);
                case SEGMENT_BYTES -> checkSegmentBytes(whole);
                case WATCHERS_PER_STREAM -> checkWatchers(whole);
            };
        }

        private long parseWhole(String text) {
            try {
                return Long.parseLong(text.strip());
            } catch (NumberFormatException e) {
                throw QuireException.invalid("must be " + expected + ", got '" + text + "'");
            }
        }

        private Long checkSegmentBytes(long v) {
            if (v < Limits.SEGMENT_BYTES_MIN || v > Limits.SEGMENT_BYTES_MAX) {
                throw QuireException.invalid("must be " + expected + ", got " + v);
            }
            return v;
        }

        private Integer checkWatchers(long v) {
            if (v < 1 || v > Integer.MAX_VALUE) throw QuireException.invalid("must be " + expected + ", got " + v);
            return (int) v;
        }

        Object defaultValue() {
            LedgerOptions d = LedgerOptions.defaults();
            return switch (this) {
                case DURABILITY -> d.durability();
                case SEGMENT_BYTES -> d.segmentBytes();
                case WATCHERS_PER_STREAM -> d.watchersPerStream();
            };
        }
    }

    /**
     * One resolved value.
     *
     * @param from the flag, the variable, {@code FILE line N}, or {@code built-in default}
     */
    record Setting(Key key, Object value, Source source, String from) {}

    private final Path file;
    private final boolean filePresent;
    private final Map<Key, Setting> settings;
    private final Map<String, Config.FileValue> serverFile;

    private LedgerSettings(Path file, boolean filePresent, Map<Key, Setting> settings, Map<String, Config.FileValue> serverFile) {
        this.file = file;
        this.filePresent = filePresent;
        this.settings = settings;
        this.serverFile = serverFile;
    }

    /**
     * The server's keys found in quire.yaml ({@link Config#FILE_KEYS}), by option name, for {@code quire serve}.
     * They were checked (with {@link Config#parse}) when the settings were resolved.
     */
    Map<String, Config.FileValue> serverFile() { return serverFile; }

    /** Resolves with the process environment. */
    static LedgerSettings resolve(Path dir, Map<Key, Object> flags) {
        return resolve(dir, flags, System::getenv);
    }

    /**
     * Resolves every key for the ledger in {@code dir}.
     *
     * @param flags values given on the command line, already parsed and checked (absent keys: not given)
     * @param env   the environment lookup ({@code System::getenv}; tests pass their own)
     */
    static LedgerSettings resolve(Path dir, Map<Key, Object> flags, Function<String, String> env) {
        Path file = dir.resolve(FILE_NAME).toAbsolutePath().normalize();
        Map<Key, Setting> fromEnv = readEnv(env);
        Map<Key, Setting> fromFile = new EnumMap<>(Key.class);
        Map<String, Config.FileValue> serverFile = new LinkedHashMap<>();
        boolean present = readFile(file, fromFile, serverFile);
        // The server's keys are checked on every command too, so a bad one never waits for 'quire serve'.
        if (!serverFile.isEmpty()) Config.parse(java.util.List.of("--dir", dir.toString()), Map.of(), serverFile);
        Map<Key, Setting> resolved = new EnumMap<>(Key.class);
        for (Key k : Key.values()) {
            Setting s;
            if (flags.get(k) != null) s = new Setting(k, flags.get(k), Source.FLAG, k.flag);
            else if (fromEnv.containsKey(k)) s = fromEnv.get(k);
            else if (fromFile.containsKey(k)) s = fromFile.get(k);
            else s = new Setting(k, k.defaultValue(), Source.DEFAULT, "built-in default");
            resolved.put(k, s);
        }
        return new LedgerSettings(file, present, resolved, java.util.Collections.unmodifiableMap(serverFile));
    }

    /** The options to open the ledger with (read-write; add {@code withReadOnly} as needed). */
    LedgerOptions options() {
        return LedgerOptions.defaults()
                .withDurability((Durability) get(Key.DURABILITY).value())
                .withSegmentBytes((Long) get(Key.SEGMENT_BYTES).value())
                .withWatchersPerStream((Integer) get(Key.WATCHERS_PER_STREAM).value());
    }

    Setting get(Key k) { return settings.get(k); }

    Path file() { return file; }

    boolean filePresent() { return filePresent; }

    /** What {@code quire config --json} prints. */
    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file.toString());
        m.put("file_present", filePresent);
        Map<String, Object> s = new LinkedHashMap<>();
        for (Setting x : settings.values()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("value", x.value() instanceof Durability d ? d.toString() : x.value());
            v.put("source", x.source().label());
            v.put("from", x.from());
            s.put(x.key().yaml, v);
        }
        m.put("settings", s);
        return m;
    }

    // ------------------------------------------------------------------------------ environment

    private static Map<Key, Setting> readEnv(Function<String, String> env) {
        Map<Key, Setting> m = new EnumMap<>(Key.class);
        for (Key k : Key.values()) {
            String v = env.apply(k.env);
            if (v == null || v.isEmpty()) continue; // Set but empty counts as unset, as for QUIRE_DIR.
            try {
                m.put(k, new Setting(k, k.parse(v), Source.ENV, k.env));
            } catch (QuireException e) {
                throw QuireException.invalid("environment variable " + k.env + ": " + e.reason()
                        + " (fix or unset it)");
            }
        }
        return m;
    }

    // ------------------------------------------------------------------------------ quire.yaml

    private static final YAMLFactory YAML = YAMLFactory.builder().build();

    /** Reads {@code file} into {@code into}; false when there is no such file. */
    private static boolean readFile(Path file, Map<Key, Setting> into, Map<String, Config.FileValue> server) {
        byte[] bytes;
        try {
            if (!Files.exists(file)) return false;
            if (Files.isDirectory(file)) throw fileError(file, -1, null, "is a directory, not a file");
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(FILE_BYTES_MAX + 1);
            }
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length > FILE_BYTES_MAX) {
            throw fileError(file, -1, null, "is over " + FILE_BYTES_MAX + " bytes; a quire.yaml holds a few keys");
        }
        Map<Key, Integer> lines = new EnumMap<>(Key.class);
        Map<String, Integer> serverLines = new LinkedHashMap<>();
        try (JsonParser p = YAML.createParser(bytes)) {
            JsonToken t = p.nextToken();
            if (t == null || t == JsonToken.VALUE_NULL) return true; // Empty, or only comments.
            if (t != JsonToken.START_OBJECT) {
                throw fileError(file, line(p.currentTokenLocation()), null,
                        "must be a mapping of 'key: value' lines, got " + describe(t));
            }
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                int line = line(p.currentTokenLocation());
                Key k = Key.ofYaml(name);
                if (k == null && Config.FILE_KEYS.containsKey(name)) {
                    if (serverLines.containsKey(name)) {
                        throw fileError(file, line, name, "given twice (first on line " + serverLines.get(name) + ")");
                    }
                    serverLines.put(name, line);
                    JsonToken v = p.nextToken();
                    String text = switch (v) {
                        case VALUE_STRING, VALUE_NUMBER_INT -> p.getText();
                        default -> throw fileError(file, line, name, "must be a string or a whole number, got " + describe(v));
                    };
                    if (text.isBlank()) throw fileError(file, line, name, "has no value (delete or comment out the line for the default)");
                    server.put(Config.FILE_KEYS.get(name), new Config.FileValue(text,
                            "config file " + file + ", line " + line + ", key '" + name + "'"));
                    continue;
                }
                if (k == null) {
                    throw fileError(file, line, name, "unknown key (known keys: " + Key.yamlNames() + "; for quire serve: "
                            + String.join(", ", Config.FILE_KEYS.keySet()) + ")");
                }
                if (lines.containsKey(k)) {
                    throw fileError(file, line, name, "given twice (first on line " + lines.get(k) + ")");
                }
                lines.put(k, line);
                JsonToken v = p.nextToken();
                Object value;
                try {
                    value = switch (v) {
                        case VALUE_STRING -> p.getText().isEmpty() ? noValue(k)
                                : k == Key.DURABILITY ? k.parse(p.getText())
                                : wrongType(k, "the string '" + p.getText() + "'");
                        case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                                ? wrongType(k, p.getText()) : k.check(p.getLongValue());
                        case VALUE_NULL -> noValue(k);
                        default -> wrongType(k, describe(v));
                    };
                } catch (QuireException e) {
                    throw fileError(file, line, name, e.reason());
                }
                into.put(k, new Setting(k, value, Source.FILE, file + " line " + line));
            }
            if (t != JsonToken.END_OBJECT) {
                throw fileError(file, line(p.currentTokenLocation()), null, "unexpected " + describe(t));
            }
            t = p.nextToken();
            if (t != null) {
                throw fileError(file, line(p.currentTokenLocation()), null,
                        "holds more than one YAML document; only one mapping of 'key: value' lines is read");
            }
        } catch (JacksonException e) {
            // SnakeYAML knows where the problem is; Jackson's own location is where it last read.
            int line = line(e.getLocation());
            String why = Objects.requireNonNullElse(e.getOriginalMessage(), e.getMessage());
            if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
                line = m.getProblemMark().getLine() + 1;
                why = m.getProblem() + (m.getContext() == null ? "" : " (" + m.getContext() + ")");
            }
            throw fileError(file, line, null, "is not valid YAML: " + why.strip().replaceAll("\\s*\\R\\s*", " "));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        return true;
    }

    private static Object noValue(Key k) {
        throw QuireException.invalid("has no value (must be " + k.expected
                + "; delete or comment out the line for the default)");
    }

    private static Object wrongType(Key k, String got) {
        throw QuireException.invalid("must be " + k.expected + ", got " + got);
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "a mapping";
            case START_ARRAY -> "a list";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "a whole number";
            case VALUE_NUMBER_FLOAT -> "a fractional number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    private static int line(JsonLocation loc) { return loc == null ? -1 : loc.getLineNr(); }

    /** {@code config file F, line N, key 'K': WHY}; exit 1. */
    private static QuireException fileError(Path file, int line, String key, String why) {
        StringBuilder b = new StringBuilder("config file ").append(file);
        if (line > 0) b.append(", line ").append(line);
        if (key != null) b.append(", key '").append(key).append('\'');
        return QuireException.invalid(b.append(": ").append(why).toString());
    }
}
