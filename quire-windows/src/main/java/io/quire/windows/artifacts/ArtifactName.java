package io.quire.windows.artifacts;

import io.quire.core.QuireException;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * The canonical name of a segment, as stored in {@code ArtifactRef.artifact}:
 * {@code artifacts/<kind>-<YYYY-MM-DD>.qwa} (e.g. {@code artifacts/trades-2025-11-12.qwa}), a path
 * relative to the year directory {@code <ledger>/windows/<year>/}. Only the canonical text parses
 * (re-formatting gives the same string), so one segment has exactly one name and a ref cannot
 * point outside the artifacts directory.
 */
public record ArtifactName(ArtifactKind kind, LocalDate date) {
    public static final String DIR = "artifacts";
    public static final String SUFFIX = ".qwa";

    public String text() { return DIR + "/" + kind.label() + "-" + date + SUFFIX; }

    /** The segment file under {@code <ledger>/windows/<year>/}. */
    public Path fileIn(Path yearDir) { return yearDir.resolve(DIR).resolve(kind.label() + "-" + date + SUFFIX); }

    /** INVALID_INPUT ({@code artifact_name}) unless {@code s} is a canonical name. */
    public static ArtifactName parse(String s) {
        String prefix = DIR + "/";
        if (s.startsWith(prefix) && s.endsWith(SUFFIX)) {
            String core = s.substring(prefix.length(), s.length() - SUFFIX.length());
            int dash = core.indexOf('-');
            if (dash > 0) {
                ArtifactKind k = ArtifactKind.ofLabel(core.substring(0, dash));
                if (k != null) {
                    try {
                        ArtifactName n = new ArtifactName(k, LocalDate.parse(core.substring(dash + 1)));
                        if (n.text().equals(s)) return n;
                    } catch (DateTimeException ignored) {
                        // fall through to the refusal
                    }
                }
            }
        }
        throw QuireException.invalid("'" + s + "' is not an artifact name; expected " + DIR + "/<trades|quotes>-<YYYY-MM-DD>" + SUFFIX).withCode("artifact_name");
    }
}
