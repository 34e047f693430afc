package io.quire.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.quire.core.Entry;
import io.quire.core.Where;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON shapes the CLI prints (docs/CLI.md, "Output formats"). Field names are snake_case and
 * fixed: scripts depend on them, and {@code CliReadTest} pins them. Hashes are lowercase hex.
 * Every object is written on one line (JSON Lines) so output can be streamed.
 */
public final class Json {
    private Json() {}

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, false);

    /** One line of JSON for a map or list (insertion order is kept). */
    public static String line(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("bad json in Json.line: " + e.getMessage(), e);
        }
    }

    public static ObjectMapper mapper() { return MAPPER; }

    /** The fields of {@code quire read --json}, exactly, in this order. */
    public static Map<String, Object> entry(Entry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stream", e.stream());
        m.put("seq", e.seq());
        m.put("position", e.position());
        m.put("id", e.id());
        m.put("key", e.key());
        m.put("timestamp_ns", e.timestampNs());
        m.put("metadata", new LinkedHashMap<>(e.metadata()));
        m.put("payload_base64", Base64.getEncoder().encodeToString(e.payload()));
        m.put("prev_hash", e.prevHash().hex());
        m.put("hash", e.hash().hex());
        return m;
    }

    /** What {@code quire append --json} prints per entry: the entry without its payload. */
    public static Map<String, Object> appended(Entry e) {
        Map<String, Object> m = entry(e);
        m.remove("payload_base64");
        return m;
    }

    /** {@code where} of an error: only the parts that are known. */
    public static Map<String, Object> where(Where w) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (w == null) return m;
        if (w.file() != null) m.put("file", w.file());
        if (w.offset() >= 0) m.put("offset", w.offset());
        if (w.stream() != null) m.put("stream", w.stream());
        if (w.seq() >= 0) m.put("seq", w.seq());
        if (w.position() >= 0) m.put("position", w.position());
        return m;
    }

    /** The error object printed on stderr with {@code --json}. */
    public static String error(String message, String kind, Where w) { return error(message, kind, null, w); }

    /** With the core's finer reason ({@code divergent_history}, {@code id_reused}, ...) when it gave one. */
    public static String error(String message, String kind, String code, Where w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        m.put("kind", kind);
        if (code != null) m.put("code", code);
        m.put("where", where(w));
        return line(m);
    }
}
