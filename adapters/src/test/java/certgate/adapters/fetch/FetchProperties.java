package certgate.adapters.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.fetch.FetchOutcome.Failed;
import certgate.adapters.fetch.FetchOutcome.Fetched;
import certgate.adapters.fetch.FetchOutcome.Validators;
import certgate.testkit.Gen;
import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Damaged input from the two places a fetch takes it: the URL (from a certificate or a policy) and the server's
 * answer. Whatever arrives, the answer is a clear refusal or a {@link FetchOutcome}, never an exception, and never
 * a wait beyond the limits.
 */
class FetchProperties {
    private static final Duration TRANSFER_LIMIT = Duration.ofMillis(300);
    private static final FetchLimits LIMITS = new FetchLimits(Duration.ofMillis(300), TRANSFER_LIMIT, 4096, 3);
    private static final CrlFetcher FETCHER = CrlFetchers.standard(LIMITS);
    // Nothing listens here: an allowed URL that names it fails fast without leaving the machine.
    private static final String DEAD_END = "127.0.0.1:" + CrlHttpServer.closedPort();

    private static final Gen<String> URL_TEXT = random -> {
        String scheme = Gens.oneOf("http://", "https://", "ldap://", "HTTP://", "LDAP://", "ldaps://", "file:",
                "file:///", "ftp://", "mailto:", "", "//", "ldap:///", "http:").generate(random);
        String authority = Gens.oneOf(DEAD_END, DEAD_END, "user:pw@" + DEAD_END, "[::1]:1", "", "bad_host",
                "127.0.0.1:99999", "%41", "h@").generate(random);
        String rest = Gens.strings("abcAZ09=,;/?%#+ !:@.[]\\\u00e9\u0000\u202e-_~&*()'\"", 0, 40).generate(random);
        return scheme + authority + (random.nextBoolean() ? "/" : "") + rest;
    };

    private static final Gen<String> LDAP_URL_TEXT = random -> {
        StringBuilder url = new StringBuilder("ldap://" + DEAD_END + "/");
        int parts = random.nextInt(6);
        for (int i = 0; i < parts; i++) {
            url.append(Gens.oneOf("cn=", "Corp%20CA", ",dc=example", "%", "%2", "%zz", "%C3", "%C3%BC", "%FF",
                    "?", "certificateRevocationList;binary", "?base", "?sub", "(objectClass=*)", "!x=1", ",",
                    "+", "=", "%3F", "%00", "\\").generate(random));
        }
        return url.toString();
    };

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void any_url_text_is_refused_clearly_or_fetched_within_the_limits() {
        Property.forAll(Gens.frequency(URL_TEXT, LDAP_URL_TEXT)).tries(400).check(FetchProperties::fetchOrRefuse);
    }

    private static void fetchOrRefuse(String text) {
        URI url;
        try {
            url = CrlFetchers.url(text);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().contains(" is not a URL: "), e.getMessage());
            return;
        }
        String refusal = FETCHER.refusal(url);
        if (refusal != null) {
            assertFalse(refusal.isBlank());
            assertFalse(refusal.chars().anyMatch(Character::isISOControl), refusal);
            Failed failed = assertInstanceOf(Failed.class, FETCHER.fetch(url, Validators.NONE));
            assertEquals(FetchFailure.URL_NOT_ALLOWED, failed.failure());
            assertEquals(refusal, failed.detail());
            return;
        }
        String host = url.getHost();
        if (!host.equals("127.0.0.1")) {
            return; // allowed, but fetching it would leave the machine
        }
        FetchOutcome outcome = FETCHER.fetch(url, Validators.NONE);
        Failed failed = assertInstanceOf(Failed.class, outcome, "nothing listens at " + DEAD_END);
        assertNotEquals(FetchFailure.URL_NOT_ALLOWED, failed.failure());
        assertTrue(failed.took().compareTo(TRANSFER_LIMIT.plusSeconds(1)) < 0, "took " + failed.took());
    }

    private static final byte[] VALID_RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Type: application/pkix-crl\r\n"
            + "ETag: \"v1\"\r\nLast-Modified: Wed, 01 Jan 2025 00:00:00 GMT\r\nContent-Length: 16\r\n\r\n"
            + "0123456789abcdef").getBytes(StandardCharsets.US_ASCII);

    private static final Gen<byte[]> RANDOM_RESPONSE = random -> {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String status = Gens.oneOf("HTTP/1.1 200 OK", "HTTP/1.1 304 Not Modified", "HTTP/1.1 302 Found",
                "HTTP/1.0 200", "HTTP/1.1 999 What", "HTTP/1.1 -1 x", "HTTP/2 200", "ICY 200 OK", "HTTP/1.1 200",
                "HTTP/1.1 1000000000000 x", "", "garbage").generate(random);
        out.writeBytes((status + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        int headers = random.nextInt(5);
        for (int i = 0; i < headers; i++) {
            String header = Gens.oneOf("Content-Length: 16", "Content-Length: -5", "Content-Length: 99999999999",
                    "Content-Length: x", "Transfer-Encoding: chunked", "Location: file:///etc/passwd",
                    "Location: /again", "Location: http://[bad", "Location:", "ETag: \"\u0001\"", "No colon",
                    ": empty name", "Content-Length: 4097", "Connection: close").generate(random);
            out.writeBytes((header + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        byte[] body = new byte[random.nextInt(6000)];
        random.nextBytes(body);
        if (random.nextBoolean()) {
            out.writeBytes("5\r\nhello\r\nzz\r\n".getBytes(StandardCharsets.ISO_8859_1)); // a broken chunk
        }
        out.writeBytes(body);
        return out.toByteArray();
    };

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void any_answer_from_a_server_is_an_outcome_within_the_limits() {
        try (RawHttpServer server = new RawHttpServer()) {
            Gen<Object[]> answers = random -> new Object[] {
                Gens.frequency(Gens.damaged(VALID_RESPONSE), RANDOM_RESPONSE).generate(random), random.nextInt(4) == 0};
            Property.forAll(answers).tries(150).check(answer -> {
                server.answer((byte[]) answer[0], (Boolean) answer[1]);
                FetchOutcome outcome = FETCHER.fetch(server.url("/crl"), Validators.NONE);
                assertNotNull(outcome);
                assertTrue(outcome.took().compareTo(TRANSFER_LIMIT.plusMillis(700)) < 0, "took " + outcome.took());
                if (outcome instanceof Fetched fetched) {
                    assertTrue(fetched.body().length <= LIMITS.maxBytes());
                    assertEquals(200, fetched.status());
                } else {
                    Failed failed = assertInstanceOf(Failed.class, outcome, "no conditional GET was made");
                    assertFalse(failed.detail().isBlank());
                    assertFalse(failed.detail().chars().anyMatch(Character::isISOControl), failed.detail());
                }
            });
        }
    }

    // The first bytes of a TLS 1.2 ServerHello record, for noise that gets past the record layer's first check.
    private static final byte[] TLS_RECORD = {0x16, 0x03, 0x03, 0x00, 0x31, 0x02, 0x00, 0x00, 0x2d, 0x03, 0x03};

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void any_answer_on_an_ldaps_or_https_url_is_a_clean_failure_within_the_limits() {
        try (RawHttpServer server = new RawHttpServer()) {
            Gen<byte[]> answers = Gens.frequency(Gens.damaged(TLS_RECORD), Gens.bytes(0, 3000),
                    Gens.damaged(VALID_RESPONSE));
            Gen<Object[]> cases = random -> new Object[] {answers.generate(random), random.nextBoolean()};
            Property.forAll(cases).tries(120).check(answer -> {
                server.answerAtOnce((byte[]) answer[0]);
                int port = server.url("/").getPort();
                URI url = URI.create((Boolean) answer[1] ? "ldaps://127.0.0.1:" + port + "/cn=CA,o=Ex"
                        : "https://127.0.0.1:" + port + "/crl");
                FetchOutcome outcome = FETCHER.fetch(url, Validators.NONE);
                Failed failed = assertInstanceOf(Failed.class, outcome, () -> String.valueOf(outcome));
                assertTrue(failed.failure() == FetchFailure.PROTOCOL || failed.failure() == FetchFailure.TIMEOUT
                        || failed.failure() == FetchFailure.REFUSED, failed::toString);
                assertTrue(outcome.took().compareTo(TRANSFER_LIMIT.plusMillis(700)) < 0, "took " + outcome.took());
                assertFalse(failed.detail().isBlank());
                assertFalse(failed.detail().chars().anyMatch(Character::isISOControl), failed.detail());
            });
        }
    }

    @Test
    void the_generators_reach_every_kind_of_url() {
        SplittableRandom random = new SplittableRandom(1);
        List<String> schemes = List.of("http", "ldap", "file", "ftp");
        for (String scheme : schemes) {
            boolean seen = false;
            for (int i = 0; i < 500 && !seen; i++) {
                seen = URL_TEXT.generate(random).toLowerCase().startsWith(scheme);
            }
            assertTrue(seen, scheme);
        }
    }
}
