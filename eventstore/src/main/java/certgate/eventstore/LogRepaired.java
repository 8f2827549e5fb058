package certgate.eventstore;

import java.util.List;
import java.util.Objects;

/**
 * {@code certgate log repair} moved the damaged part of the log aside: {@code movedTo} (a directory in the store)
 * holds the {@code files} as they were, and the events {@code firstLost} up to, not including, {@code resumedAt}
 * are gone from the log. This event is the first at {@code resumedAt}: sequence numbers are never reused, so the
 * log has a gap there that this event explains. {@code reason} is the damage that verification found. The
 * engine's state does not depend on it.
 */
public record LogRepaired(String movedTo, List<String> files, long firstLost, long resumedAt, String reason)
        implements Event {
    public LogRepaired {
        Objects.requireNonNull(movedTo, "movedTo");
        files = List.copyOf(files);
        Objects.requireNonNull(reason, "reason");
        if (firstLost < 0 || resumedAt < firstLost) {
            throw new IllegalArgumentException("lost sequences " + firstLost + ".." + resumedAt + " are not a range");
        }
    }
}
