package io.quire.windows.artifacts;

/** What an artifact segment holds; the code is the byte in the file header and every frame. */
public enum ArtifactKind {
    TRADES(1, "trades"), QUOTES(2, "quotes");

    private final int code;
    private final String label;

    ArtifactKind(int code, String label) {
        this.code = code;
        this.label = label;
    }

    public int code() { return code; }

    public String label() { return label; }

    static ArtifactKind ofCode(int c) {
        for (ArtifactKind k : values()) if (k.code == c) return k;
        return null;
    }

    static ArtifactKind ofLabel(String l) {
        for (ArtifactKind k : values()) if (k.label.equals(l)) return k;
        return null;
    }
}
