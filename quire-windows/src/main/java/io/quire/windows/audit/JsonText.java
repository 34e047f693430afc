package io.quire.windows.audit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one-line JSON objects of the audit payloads (docs/FORMAT.md "windows/audit"). Values are
 * strings, numbers, booleans, null or nested maps; field order is insertion order. This module
 * has no JSON library, and the payloads are flat, so a small writer is enough.
 */
final class JsonText {
    private JsonText() {}

    static Map<String, Object> object() { return new LinkedHashMap<>(); }

    static String write(Map<String, ?> m) {
        StringBuilder b = new StringBuilder(128);
        writeObject(b, m);
        return b.toString();
    }

    private static void writeObject(StringBuilder b, Map<String, ?> m) {
        b.append('{');
        boolean first = true;
        for (Map.Entry<String, ?> e : m.entrySet()) {
            if (!first) b.append(',');
            first = false;
            string(b, e.getKey());
            b.append(':');
            value(b, e.getValue());
        }
        b.append('}');
    }

    @SuppressWarnings("unchecked")
    private static void value(StringBuilder b, Object v) {
        switch (v) {
            case null -> b.append("null");
            case String s -> string(b, s);
            case Boolean x -> b.append(x);
            case Integer x -> b.append(x);
            case Long x -> b.append(x);
            case Map<?, ?> m -> writeObject(b, (Map<String, ?>) m);
            case Iterable<?> it -> {
                b.append('[');
                boolean first = true;
                for (Object o : it) {
                    if (!first) b.append(',');
                    first = false;
                    value(b, o);
                }
                b.append(']');
            }
            default -> string(b, v.toString());
        }
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('"');
    }
}
