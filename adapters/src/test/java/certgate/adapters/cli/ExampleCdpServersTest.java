package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.cli.CrlFileServer.Request;
import certgate.adapters.cli.StoreFixture.Result;
import certgate.adapters.fetch.Slapd;
import certgate.adapters.pem.PkiFiles;
import certgate.eventstore.Blob;
import certgate.eventstore.CrlFetchFailed;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.CrlUnchanged;
import certgate.eventstore.Event;
import certgate.eventstore.RecordedEvent;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.ValidationRequested;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped CDP example policies against real servers, through the fetcher {@code certgate} ships
 * ({@link certgate.adapters.fetch.FetcherFactory#standard()}, the {@link StoreFixture}'s default): ldap-cdp.yaml
 * against a throwaway OpenLDAP {@link Slapd}, http-cdp.yaml against {@link CrlFileServer} serving
 * policies/examples/pki on loopback as the README's one-line server does. Each copy of a policy only has its URL's
 * port (and, for a fault, its path) rewritten to the server's. {@code fetch} records the CRL with its source,
 * {@code validate} decides with it, a refresh of the same CRL is recorded small, and {@code audit} re-decides
 * identically once the server is gone; each fault is one {@code CrlFetchFailed} with its exact code, decided as
 * {@code on-download-failure} says.
 */
class ExampleCdpServersTest {
    private static final Path EXAMPLES = Repository.root().resolve("policies/examples");
    private static final Path PKI = EXAMPLES.resolve("pki");
    private static final String ISSUER = "CN=Example Issuing CA, O=Example, C=US";
    private static final Instant AT = Instant.parse("2030-01-01T00:00:00Z");
    /** The example CRL's age at {@link #AT}: thisUpdate 2026-01-01, four years (one leap day) before. */
    private static final String AGE = "1461d";
    private static final String LDAP_URL = "ldap://127.0.0.1:3389/cn=Example%20Issuing%20CA,dc=example,dc=net"
            + "?certificateRevocationList;binary";
    private static final String HTTP_URL = "http://127.0.0.1:8000/issuing-ca.crl";
    private static final String GOOD_ID = "fqdn:gw1.example.net";
    private static final String REVOKED_ID = "dn:CN=gw2.example.net, OU=VPN, O=Example, C=US";

    @TempDir
    Path dir;

    /** The example's issuing CA's CRL as DER, what the servers hold. */
    private static byte[] exampleCrl() {
        try {
            return PkiFiles.crls(PKI.resolve("issuing-ca.crl")).get(0).bytes();
        } catch (Exception e) {
            throw new AssertionError("the example CRL does not read", e);
        }
    }

    /** The shipped policy's text with {@code shipped} (which it must hold) replaced by {@code url}. */
    private static String example(String policy, String shipped, String url) throws IOException {
        String text = Files.readString(EXAMPLES.resolve(policy), StandardCharsets.UTF_8);
        assertTrue(text.contains(shipped), policy + " no longer names " + shipped + ":\n" + text);
        return text.replace(shipped, url);
    }

    /** A store in {@code here} with the example's issuing CA loaded and {@code policy} active, at {@link #AT}. */
    private static StoreFixture store(Path here, String policy) {
        StoreFixture fixture = new StoreFixture(here);
        fixture.clock.set(AT);
        for (String file : List.of("issuing-ca.pem", "gw-good.pem", "gw-revoked.pem")) {
            try {
                fixture.write(file, Files.readAllBytes(PKI.resolve(file)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        fixture.write("policy.yaml", policy.getBytes(StandardCharsets.UTF_8));
        assertEquals(0, fixture.run("load", "ca", "issuing-ca.pem", "--profile", "example").status());
        Result activated = fixture.run("policy", "activate", "policy.yaml");
        assertEquals(0, activated.status(), activated.toString());
        return fixture;
    }

    private static List<Event> events(StoreFixture fixture) {
        return fixture.events().stream().map(RecordedEvent::event).toList();
    }

    private static Event last(StoreFixture fixture) {
        List<Event> events = events(fixture);
        return events.get(events.size() - 1);
    }

    /** {@code audit} re-decides every one of the store's {@code decisions} the same (it has no fetcher at all). */
    private static void assertAuditPassesWithoutTheServer(StoreFixture fixture, int decisions) {
        Result audit = fixture.run("audit");
        assertEquals(0, audit.status(), audit.toString());
        assertTrue(audit.out().contains("audited " + decisions + " decisions: " + decisions
                + " re-decided the same, 0 mismatches"), audit.out());
    }

    private static void assertBothPeersDecidedWithTheFetchedCrl(StoreFixture fixture, String url) {
        int before = events(fixture).size();
        Result good = fixture.run("validate", "--peer", "gw-good.pem", "--id", GOOD_ID);
        Result revoked = fixture.run("validate", "--peer", "gw-revoked.pem", "--id", REVOKED_ID);

        assertEquals(0, good.status(), good.toString());
        assertTrue(good.out().contains("accept OK"), good.out());
        assertEquals(1, revoked.status(), revoked.toString());
        assertTrue(revoked.out().contains("reject REVOKED"), revoked.out());
        assertTrue(revoked.out().contains("CRL of '" + ISSUER + "' from its distribution points: " + url
                + " fetched"), revoked.out());
        assertEquals(before + 4, events(fixture).size(), "the CRL fetched is fresh: validate fetched nothing more");
    }

    // ---- LDAP: ldap-cdp.yaml against a throwaway slapd

    /**
     * ldap-cdp.yaml names one gateway, gw1; the revoked peer is gw2, so the copy gets a gateway for it too
     * (otherwise it is rejected GATEWAY_NOT_FOUND before its revocation is looked at), as http-cdp.yaml has.
     */
    private static String ldapPolicy(String url) throws IOException {
        return example("ldap-cdp.yaml", "\"" + LDAP_URL + "\"", "\"" + url + "\"") + """
                    - name: gw2
                      ca-profile: example
                      remote-identity: { dn: { wildcard: "O=Example, OU=VPN" } }
                """;
    }

    @Test
    void ldap_cdp_fetches_the_crl_from_slapd_validate_decides_with_it_and_audit_needs_no_network() throws Exception {
        byte[] crl = exampleCrl();
        StoreFixture fixture;
        String url;
        try (Slapd slapd = Slapd.start(crl)) {
            url = LDAP_URL.replace(":3389/", ":" + slapd.port() + "/");
            fixture = store(dir, ldapPolicy(url));

            Result fetch = fixture.run("fetch");

            assertEquals(0, fetch.status(), fetch.toString());
            assertEquals("'" + ISSUER + "'  fetched  from " + url + "  entries 1  age " + AGE,
                    fetch.out().lines().findFirst().orElseThrow(), fetch.toString());
            CrlLoaded loaded = assertInstanceOf(CrlLoaded.class, last(fixture));
            assertEquals(url, loaded.source());
            assertEquals(Optional.of(new CrlLoaded.Fetch(AT, 0, Optional.empty(), Optional.empty())),
                    loaded.fetch());
            assertArrayEquals(crl, loaded.crl().bytes(), "the CRL arrived byte for byte");

            assertBothPeersDecidedWithTheFetchedCrl(fixture, url);

            // Past the profile's refresh-interval (1h): LDAP has no validators, the same SHA-256 makes it
            // "unchanged", a small event rather than the CRL again.
            fixture.clock.advance(Duration.ofHours(2));
            long before = fixture.storeBytes();
            Result refresh = fixture.run("fetch");
            assertEquals(0, refresh.status(), refresh.toString());
            assertTrue(refresh.out().startsWith("'" + ISSUER + "'  unchanged  from " + url), refresh.out());
            CrlUnchanged unchanged = assertInstanceOf(CrlUnchanged.class, last(fixture));
            assertEquals(new CrlUnchanged(url, ISSUER, Blob.of(crl).sha256Hex(), AT.plus(Duration.ofHours(2)), 0,
                    Optional.empty(), Optional.empty()), unchanged);
            assertTrue(fixture.storeBytes() - before < 1024, "the refresh took " + (fixture.storeBytes() - before));
        }
        assertAuditPassesWithoutTheServer(fixture, 2);
    }

    @Test
    void an_ldap_entry_or_attribute_that_is_missing_is_recorded_with_its_code_and_rejects() throws Exception {
        record Missing(String dn, CrlFetchFailed.Code code, String detail) {
        }
        try (Slapd slapd = Slapd.start(exampleCrl())) {
            for (Missing missing : List.of(
                    new Missing("cn=Nobody,dc=example,dc=net", CrlFetchFailed.Code.LDAP_NO_SUCH_ENTRY,
                            "no entry 'cn=Nobody,dc=example,dc=net'"),
                    new Missing(Slapd.NO_CRL_DN, CrlFetchFailed.Code.LDAP_NO_SUCH_ATTRIBUTE,
                            "the entry '" + Slapd.NO_CRL_DN + "' has no certificateRevocationList;binary"))) {
                String url = slapd.url(missing.dn()) + "?certificateRevocationList;binary";
                StoreFixture fixture = store(Files.createDirectories(dir.resolve(missing.code().name())),
                        ldapPolicy(url));

                Result good = fixture.run("validate", "--peer", "gw-good.pem", "--id", GOOD_ID);

                String what = missing.code() + ":\n" + good;
                assertEquals(1, good.status(), what);
                assertTrue(good.out().startsWith("decision d-3 recorded at sequence 4 (request at sequence 3)\n"
                        + "reject CRL_UNAVAILABLE\n"), what);
                assertTrue(good.out().contains(url + " failed: " + missing.code()), what);
                List<Event> events = events(fixture);
                assertEquals(5, events.size(), what + events);
                assertEquals(new CrlFetchFailed(url, ISSUER, missing.code(), AT, 0, missing.detail()),
                        events.get(2), what);
                assertInstanceOf(ValidationRequested.class, events.get(3), what);
                assertEquals("CRL_UNAVAILABLE",
                        assertInstanceOf(ValidationDecided.class, events.get(4), what).reason().name(), what);
                assertAuditPassesWithoutTheServer(fixture, 1);
            }
        }
    }

    private static final String WRONG_PASSWORD = "wrong-password-4711";

    /** One simple bind the policy may name, and what {@code fetch} must come to with it. */
    private record BindCase(String name, String ldapBind, Optional<CrlFetchFailed.Code> failure, String detail) {
    }

    /**
     * The shipped comment's {@code ldap-bind}, wired through {@link certgate.adapters.fetch.FetcherFactory#standard()}:
     * an entry only {@code cn=reader} may read arrives with the password from the named file; a wrong password or
     * an unset variable fails that fetch (PROTOCOL, saying where it looked); the password is in neither the
     * output nor the log.
     */
    @Test
    void an_ldap_bind_reads_the_password_where_the_policy_says_and_never_records_it() throws Exception {
        Path right = Files.writeString(dir.resolve("ldap.password"), Slapd.READER_PASSWORD + "\n");
        Path wrong = Files.writeString(dir.resolve("wrong.password"), WRONG_PASSWORD + "\n");
        String unset = "CERTGATE_TEST_LDAP_PASSWORD_NEVER_SET";
        assertEquals(null, System.getenv(unset));
        String bindDn = Slapd.READER_DN;
        try (Slapd slapd = Slapd.start(exampleCrl())) {
            String url = slapd.url(Slapd.PRIVATE_DN) + "?certificateRevocationList;binary";
            for (BindCase bind : List.of(
                    new BindCase("file", "password-file: \"" + right + "\"", Optional.empty(), ""),
                    new BindCase("wrong", "password-file: \"" + wrong + "\"",
                            Optional.of(CrlFetchFailed.Code.PROTOCOL),
                            "the server refused the bind as '" + bindDn + "': "),
                    new BindCase("unset", "password-env: " + unset, Optional.of(CrlFetchFailed.Code.PROTOCOL),
                            "the LDAP password for '" + bindDn + "' is to come from the environment variable "
                                    + unset + ", which is not set (or empty)"))) {
                String policy = ldapPolicy(url).replace("          refresh-interval: 1h\n",
                        "          ldap-bind: {dn: \"" + bindDn + "\", " + bind.ldapBind() + "}\n"
                                + "          refresh-interval: 1h\n");
                assertTrue(policy.contains("ldap-bind"), policy);
                StoreFixture fixture = store(Files.createDirectories(dir.resolve(bind.name())), policy);

                Result fetch = fixture.run("fetch");

                String what = bind.name() + ":\n" + fetch;
                Event event = last(fixture);
                if (bind.failure().isEmpty()) {
                    assertEquals(0, fetch.status(), what);
                    assertEquals(url, assertInstanceOf(CrlLoaded.class, event, what).source());
                } else {
                    assertEquals(1, fetch.status(), what);
                    CrlFetchFailed failed = assertInstanceOf(CrlFetchFailed.class, event, what);
                    assertEquals(bind.failure().get(), failed.reason(), what + failed);
                    assertTrue(failed.detail().contains(bind.detail()), what + failed);
                }
                for (String password : List.of(Slapd.READER_PASSWORD, WRONG_PASSWORD)) {
                    assertTrue(!(fetch.out() + fetch.err()).contains(password), what);
                    for (Path segment : fixture.segments()) {
                        assertTrue(!new String(Files.readAllBytes(segment), StandardCharsets.ISO_8859_1)
                                .contains(password), what + ": a password is in " + segment);
                    }
                }
            }
        }
    }

    // ---- HTTP: http-cdp.yaml against policies/examples/pki served on loopback

    @Test
    void http_cdp_fetches_from_the_served_pki_a_refresh_is_a_304_and_audit_needs_no_network() throws Exception {
        byte[] crl = exampleCrl();
        StoreFixture fixture;
        try (CrlFileServer server = CrlFileServer.start(PKI)) {
            String url = HTTP_URL.replace(":8000/", ":" + server.port() + "/");
            fixture = store(dir, example("http-cdp.yaml", HTTP_URL, url));

            Result fetch = fixture.run("fetch");

            assertEquals(0, fetch.status(), fetch.toString());
            assertEquals("'" + ISSUER + "'  fetched (HTTP 200)  from " + url + "  entries 1  age " + AGE,
                    fetch.out().lines().findFirst().orElseThrow(), fetch.toString());
            CrlLoaded loaded = assertInstanceOf(CrlLoaded.class, last(fixture));
            assertEquals(url, loaded.source());
            Request first = server.requests().get(0);
            assertEquals(new Request("/issuing-ca.crl", null, null, 200), first, "a first fetch names no version");
            CrlLoaded.Fetch how = loaded.fetch().orElseThrow();
            assertEquals(AT, how.at());
            assertEquals(200, how.status());
            assertTrue(how.etag().isPresent() && how.lastModified().isPresent(), how.toString());
            assertArrayEquals(crl, loaded.crl().bytes(), "the PEM file served arrives as the CRL's DER");

            assertBothPeersDecidedWithTheFetchedCrl(fixture, url);
            assertEquals(1, server.requests().size(), server.requests().toString());

            // Past the profile's refresh-interval (24h): a conditional GET, answered 304, recorded small.
            fixture.clock.advance(Duration.ofHours(25));
            long before = fixture.storeBytes();
            Result refresh = fixture.run("fetch");
            assertEquals(0, refresh.status(), refresh.toString());
            assertTrue(refresh.out().startsWith("'" + ISSUER + "'  unchanged (HTTP 304)  from " + url),
                    refresh.out());
            assertEquals(new Request("/issuing-ca.crl", how.etag().get(), how.lastModified().get(), 304), server.requests().get(1),
                    "the refresh named the version held");
            assertEquals(new CrlUnchanged(url, ISSUER, Blob.of(crl).sha256Hex(), AT.plus(Duration.ofHours(25)),
                    304, how.etag(), how.lastModified()), last(fixture));
            assertTrue(fixture.storeBytes() - before < 1024, "the refresh took " + (fixture.storeBytes() - before));
        }
        assertAuditPassesWithoutTheServer(fixture, 2);
    }

    /** One fault of the served distribution point: the URL the policy's copy names, and what it must come to. */
    private record Fault(String name, String url, CrlFetchFailed.Code code, int status) {
    }

    @Test
    void http_faults_are_recorded_alone_with_their_code_and_decide_as_the_profile_says() throws Exception {
        try (CrlFileServer server = CrlFileServer.start(PKI)) {
            String served = "http://127.0.0.1:" + server.port();
            List<Fault> faults = List.of(
                    new Fault("404", served + "/no-such.crl", CrlFetchFailed.Code.HTTP_STATUS, 404),
                    new Fault("refused", "http://127.0.0.1:" + closedPort() + "/issuing-ca.crl",
                            CrlFetchFailed.Code.REFUSED, 0),
                    new Fault("garbage", served + "/README.md", CrlFetchFailed.Code.NOT_A_CRL, 200),
                    new Fault("wrong-issuer", served + "/root-ca.crl", CrlFetchFailed.Code.WRONG_ISSUER, 200));
            for (Fault fault : faults) {
                for (String onFailure : List.of("reject", "accept")) {
                    String policy = example("http-cdp.yaml", HTTP_URL, fault.url()).replace(
                            "on-download-failure: reject", "on-download-failure: " + onFailure);
                    StoreFixture fixture = store(Files.createDirectories(dir.resolve(fault.name() + "-" + onFailure)),
                            policy);

                    Result good = fixture.run("validate", "--peer", "gw-good.pem", "--id", GOOD_ID);

                    String what = fault.name() + " under " + onFailure + ":\n" + good;
                    List<Event> events = events(fixture);
                    assertEquals(5, events.size(), what + events);
                    CrlFetchFailed failed = assertInstanceOf(CrlFetchFailed.class, events.get(2), what);
                    assertEquals(fault.url(), failed.url(), what);
                    assertEquals(ISSUER, failed.issuer(), what);
                    assertEquals(fault.code(), failed.reason(), what + failed);
                    assertEquals(fault.status(), failed.status(), what + failed);
                    assertEquals(AT, failed.at(), what);
                    assertTrue(!failed.detail().isBlank() && failed.detail().lines().count() == 1, what + failed);
                    assertTrue(good.out().contains("CRL of '" + ISSUER + "' from its distribution points: "
                            + fault.url() + " failed: " + fault.code()), what);
                    assertInstanceOf(ValidationRequested.class, events.get(3), what);
                    ValidationDecided decided = assertInstanceOf(ValidationDecided.class, events.get(4), what);
                    if (onFailure.equals("reject")) {
                        assertEquals(1, good.status(), what);
                        assertTrue(good.out().contains("\nreject CRL_UNAVAILABLE\n"), what);
                        assertEquals("CRL_UNAVAILABLE", decided.reason().name(), what);
                    } else {
                        assertEquals(0, good.status(), what);
                        assertTrue(good.out().contains("\naccept OK\n"), what);
                        assertTrue(good.out().lines().anyMatch(line -> line.matches("  revocation +warn +.*revocation"
                                + " not checked.*on-download-failure is accept")), what);
                    }
                    assertAuditPassesWithoutTheServer(fixture, 1);
                }
            }
        }
    }

    /** A loopback port on which nothing listens: connecting to it is refused. */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
