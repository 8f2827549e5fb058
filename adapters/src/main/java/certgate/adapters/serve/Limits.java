package certgate.adapters.serve;

import certgate.adapters.http.LoopHttpServer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one client may take of the service: a request body's size, the time to send a whole request (headers and
 * body: a client that sends one byte a second is dropped when it runs out), how long an idle keep-alive
 * connection is kept, how many connections are open at once and how many header lines a request may have.
 *
 * <p>certgate's own server (plain HTTP) takes them as they are, per server ({@link #loopSettings()}). The JDK's
 * (HTTPS) reads all but the body limit from system properties, once, when its classes load; {@link #installInJdk()}
 * sets them before the first server is created, and refuses other limits later in the same JVM rather than pretend
 * to apply them.
 */
public record Limits(int maxBodyBytes, Duration requestTimeout, Duration idleTimeout, int maxConnections,
                     int maxHeaders) {
    /** 1 MiB bodies, 10 s per request, 30 s idle, 1,000 connections, 100 header lines. */
    public static final Limits DEFAULTS = new Limits(1 << 20, Duration.ofSeconds(10), Duration.ofSeconds(30),
            1_000, 100);

    /** A request's head (request line and header fields) may be this long. */
    static final int MAX_HEADER_BYTES = 64 << 10;

    private static Map<String, String> installed;

    public Limits {
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("maxBodyBytes must be at least 1024, was " + maxBodyBytes);
        }
        if (requestTimeout.toSeconds() < 1 || idleTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("timeouts are whole seconds, at least 1: " + requestTimeout + ", "
                    + idleTimeout);
        }
        if (maxConnections < 1 || maxHeaders < 1) {
            throw new IllegalArgumentException("maxConnections and maxHeaders must be positive");
        }
    }

    /** These limits for certgate's own server (plain HTTP), which takes them as they are, per server. */
    LoopHttpServer.Settings loopSettings() {
        return new LoopHttpServer.Settings(maxConnections, MAX_HEADER_BYTES, maxHeaders, maxBodyBytes, requestTimeout,
                idleTimeout);
    }

    /** The JDK's properties for these limits (and Nagle's algorithm off), in the order they are set. */
    Map<String, String> jdkProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("sun.net.httpserver.maxReqTime", Long.toString(requestTimeout.toSeconds()));
        properties.put("sun.net.httpserver.maxRspTime", Long.toString(Math.max(60, requestTimeout.toSeconds())));
        properties.put("sun.net.httpserver.idleInterval", Long.toString(idleTimeout.toSeconds()));
        // The timers that enforce the two above tick this often, so a limit is enforced within a second.
        properties.put("sun.net.httpserver.timerMillis", "250");
        properties.put("sun.net.httpserver.clockTick", "250");
        properties.put("jdk.httpserver.maxConnections", Integer.toString(maxConnections));
        properties.put("sun.net.httpserver.maxReqHeaders", Integer.toString(maxHeaders));
        properties.put("sun.net.httpserver.maxReqHeaderSize", Integer.toString(MAX_HEADER_BYTES));
        // Without this every response waits for the client's delayed ACK (about 40 ms on Linux).
        properties.put("sun.net.httpserver.nodelay", "true");
        return properties;
    }

    /** Sets the JDK's properties, once per JVM; later calls must ask for the same limits. */
    void installInJdk() {
        synchronized (Limits.class) {
            Map<String, String> wanted = jdkProperties();
            if (installed == null) {
                wanted.forEach(System::setProperty);
                installed = wanted;
            } else if (!Objects.equals(installed, wanted)) {
                throw new IllegalStateException("the JDK's HTTP server limits were set to " + installed
                        + " in this JVM already; they cannot change to " + wanted);
            }
        }
    }
}
