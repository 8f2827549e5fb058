package certgate.eventstore;

import java.util.Objects;

/** A policy came into force: its source text and its revision (the SHA-256 of the source, hex). */
public record PolicyActivated(String revision, String source) implements Event {
    public PolicyActivated {
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(source, "source");
    }
}
