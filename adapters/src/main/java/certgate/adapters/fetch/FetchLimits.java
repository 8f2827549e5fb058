package certgate.adapters.fetch;

import java.time.Duration;

/** The bounds every fetch keeps, with the defaults issue 10 asks for. */
public record FetchLimits(Duration connectTimeout, Duration transferTimeout, long maxBytes, int maxRedirects) {
    public static final FetchLimits DEFAULTS =
            new FetchLimits(Duration.ofSeconds(5), Duration.ofSeconds(30), 256L << 20, 3);
}
