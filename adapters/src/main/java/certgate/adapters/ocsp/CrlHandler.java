package certgate.adapters.ocsp;

import certgate.adapters.http.HttpDate;
import certgate.adapters.serve.ServiceState;
import certgate.engine.Engine;
import certgate.engine.LoadedCrl;
import certgate.engine.TrustedCertificate;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * certgate's CRL endpoint, to mount at {@code /crls}: the CRL in force of a CA ({@link Engine#crlInForce}), byte
 * for byte as the CA signed it ({@code application/pkix-crl}), so a gateway's CDP (a Junos
 * {@code revocation-check crl url}, strongSwan's {@code crl_uris}) can point here.
 * <ul>
 * <li>{@code GET /crls/by-issuer/{sha256}.crl}: the CA certificate with that SHA-256 (hex, as {@code replay}
 * prints it);</li>
 * <li>{@code GET /crls/{profile}.crl}: the CA loaded under that CA profile; when the profile holds several CAs
 * with a CRL, 409 with their by-issuer paths, since a CRL endpoint serves one CRL.</li>
 * </ul>
 * {@code ETag} is the CRL's SHA-256 and {@code Last-Modified} its thisUpdate; a conditional GET
 * ({@code If-None-Match}, else {@code If-Modified-Since}) for the CRL in force gets 304 without a body. HEAD is
 * answered as GET without the body. 404 when the CA is not held or has no CRL in force.
 */
public final class CrlHandler implements HttpHandler {
    private static final Pattern BY_ISSUER = Pattern.compile("/crls/by-issuer/([0-9a-fA-F]{64})\\.crl");
    private static final Pattern BY_PROFILE = Pattern.compile("/crls/([A-Za-z0-9][A-Za-z0-9._-]{0,63})\\.crl");
    private static final int KEEP_BYTES_OF = 16;

    private final ServiceState state;
    /** The bytes of the CRLs served lately, by SHA-256: copied out of the state once, not per request. */
    private final ConcurrentHashMap<String, byte[]> bytes = new ConcurrentHashMap<>();

    public CrlHandler(ServiceState state) {
        this.state = Objects.requireNonNull(state, "state");
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                OcspHandler.plain(exchange, 405, "CRLs are fetched with GET\n");
                return;
            }
            String path = exchange.getRequestURI().getRawPath();
            Engine engine = state.state();
            Matcher byIssuer = BY_ISSUER.matcher(path);
            Matcher byProfile = BY_PROFILE.matcher(path);
            if (byIssuer.matches()) {
                String ca = byIssuer.group(1).toLowerCase(Locale.ROOT);
                Optional<LoadedCrl> crl = engine.crlInForce(ca);
                if (crl.isEmpty()) {
                    OcspHandler.plain(exchange, 404, engine.trustedCertificateBytes(ca).isEmpty()
                            ? "no CA certificate with sha256 " + ca + " is loaded\n"
                            : "the CA with sha256 " + ca + " has no CRL in force\n");
                    return;
                }
                serve(exchange, engine, crl.get());
            } else if (byProfile.matches() && !path.startsWith("/crls/by-issuer/")) {
                profile(exchange, engine, byProfile.group(1));
            } else {
                OcspHandler.plain(exchange, 404, "CRLs are at /crls/PROFILE.crl and /crls/by-issuer/SHA256.crl\n");
            }
        }
    }

    private void profile(HttpExchange exchange, Engine engine, String profile) throws IOException {
        List<TrustedCertificate> cas = engine.trustedCertificates().stream()
                .filter(ca -> ca.profiles().contains(profile)).toList();
        if (cas.isEmpty()) {
            OcspHandler.plain(exchange, 404, "no CA is loaded under CA profile '" + profile + "'\n");
            return;
        }
        List<String> withCrl = new ArrayList<>();
        Optional<LoadedCrl> only = Optional.empty();
        for (TrustedCertificate ca : cas) {
            Optional<LoadedCrl> crl = engine.crlInForce(ca.sha256());
            if (crl.isPresent()) {
                withCrl.add("/crls/by-issuer/" + ca.sha256() + ".crl ('" + ca.subject() + "')");
                only = crl;
            }
        }
        if (withCrl.isEmpty()) {
            OcspHandler.plain(exchange, 404, "no CA of CA profile '" + profile + "' has a CRL in force\n");
        } else if (withCrl.size() > 1) {
            OcspHandler.plain(exchange, 409, "CA profile '" + profile + "' holds " + withCrl.size()
                    + " CAs with a CRL; fetch one of:\n" + String.join("\n", withCrl) + "\n");
        } else {
            serve(exchange, engine, only.get());
        }
    }

    private void serve(HttpExchange exchange, Engine engine, LoadedCrl crl) throws IOException {
        String etag = "\"" + crl.sha256() + "\"";
        String lastModified = HttpDate.format(crl.thisUpdate());
        exchange.getResponseHeaders().set("ETag", etag);
        exchange.getResponseHeaders().set("Last-Modified", lastModified);
        if (notModified(exchange, etag, crl.thisUpdate())) {
            exchange.sendResponseHeaders(304, -1);
            return;
        }
        byte[] der = bytes.get(crl.sha256());
        if (der == null) {
            Optional<byte[]> loaded = engine.crlBytes(crl.sha256());
            if (loaded.isEmpty()) {
                OcspHandler.plain(exchange, 404, "the CRL " + crl.sha256() + " is no longer held\n");
                return;
            }
            der = loaded.get();
            if (bytes.size() >= KEEP_BYTES_OF) {
                bytes.clear();
            }
            bytes.put(crl.sha256(), der);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/pkix-crl");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Content-Length", String.valueOf(der.length));
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        exchange.sendResponseHeaders(200, der.length);
        exchange.getResponseBody().write(der);
    }

    /**
     * RFC 9110 13.2.2: whether the client's copy, named by its validators, is the one with {@code etag} made at
     * {@code made}: If-None-Match decides when present; otherwise If-Modified-Since.
     */
    static boolean notModified(HttpExchange exchange, String etag, Instant made) {
        String noneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
        if (noneMatch != null) {
            for (String tag : noneMatch.split(",")) {
                String trimmed = tag.trim();
                if (trimmed.equals("*") || trimmed.equals(etag) || trimmed.equals("W/" + etag)) {
                    return true;
                }
            }
            return false;
        }
        String since = exchange.getRequestHeaders().getFirst("If-Modified-Since");
        if (since == null) {
            return false;
        }
        try {
            return !made.isAfter(ZonedDateTime.parse(since.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant());
        } catch (DateTimeParseException e) {
            return false; // an unreadable date is ignored (RFC 9110 13.1.3)
        }
    }
}
