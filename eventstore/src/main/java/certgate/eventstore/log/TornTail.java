package certgate.eventstore.log;

import java.util.Objects;

/**
 * The end of the last segment holds an incomplete record (or zeroes): what a crash in the middle of a write
 * leaves. It was never acknowledged; the next writer truncates it.
 */
public record TornTail(String segment, long offset, long bytes, String detail) {
    public TornTail {
        Objects.requireNonNull(segment, "segment");
        Objects.requireNonNull(detail, "detail");
    }

    public String describe() {
        return "torn tail in segment " + segment + " at offset " + offset + ": " + bytes + " bytes (" + detail + ")";
    }
}
