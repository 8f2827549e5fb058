package certgate.adapters.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * HTTP dates as RFC 9110 5.6.7 has a sender write them (IMF-fixdate: {@code Sun, 06 Nov 1994 08:49:37 GMT}, a
 * two-digit day, which {@link DateTimeFormatter#RFC_1123_DATE_TIME} does not write), for the {@code Date} of every
 * answer and the endpoints' {@code Last-Modified} and {@code Expires}.
 */
public final class HttpDate {
    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.ofPattern(
            "EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private HttpDate() {
    }

    public static String format(Instant instant) {
        return IMF_FIXDATE.format(instant);
    }
}
