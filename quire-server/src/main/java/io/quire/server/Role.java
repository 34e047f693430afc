package io.quire.server;

import io.quire.core.QuireException;

import java.util.Locale;

/** Bearer token roles, each including the ones before it: a writer may read, an admin may write. */
public enum Role {
    READER, WRITER, ADMIN;

    public boolean includes(Role needed) { return ordinal() >= needed.ordinal(); }

    public static Role parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw QuireException.invalid("unknown role '" + s + "'; roles are reader, writer, admin");
        }
    }
}
