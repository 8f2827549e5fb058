package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.cli.StoreFixture.Pki;
import certgate.adapters.cli.StoreFixture.Result;
import certgate.adapters.fetch.FetchFailure;
import certgate.adapters.fetch.FetchOutcome;
import certgate.adapters.fetch.ScriptedFetcher;
import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import certgate.eventstore.CrlFetchFailed;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.CrlUnchanged;
import certgate.eventstore.Event;
import certgate.eventstore.RecordedEvent;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.ValidationRequested;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 at the command line, with the network scripted: {@code validate} fetches what it needs before deciding
 * and records it first; every fault's exact outcome (the event appended, the trace line, the verdict under reject
 * and under accept, nothing partial in the log); unchanged CRLs; {@code fetch}; {@code replay}.
 */
class CdpFetchTest {
    static final String PROFILE_URL = "http://profile.example.net/issuing.crl";
    static final String ISSUER = "CN=Store Issuing CA, O=certgate test, C=US";

    @TempDir
    Path dir;
    StoreFixture fixture;
    Pki pki;
    final ScriptedFetcher network = new ScriptedFetcher();

    /** A policy whose one CA profile fetches from {@link #PROFILE_URL}; the gateway is gw1 by FQDN. */
    static String policy(String onDownloadFailure, String extra) {
        return """
                version: 1
                pki:
                %s  ca-profiles:
                    - name: store
                      revocation-check:
                        crl:
                          url: %s
                          refresh-interval: 1h
                          on-download-failure: %s
                ike:
                  gateways:
                    - name: gw
                      ca-profile: store
                      remote-identity: {fqdn: gw1.example.net}
                """.formatted(extra, PROFILE_URL, onDownloadFailure);
    }

    @BeforeEach
    void setUp() {
        fixture = new StoreFixture(dir);
        pki = Pki.create().writeTo(fixture);
        fixture.fetchers = policy -> network;
        fixture.clock.set(TestPki.NOW);
    }

    /** The issuing CA loaded (no CRL), the policy activated: the store a first validation meets. */
    void store(String onDownloadFailure) {
        assertEquals(0, fixture.run("load", "ca", "issuing.pem").status());
        fixture.write("policy.yaml", policy(onDownloadFailure, "").getBytes(StandardCharsets.UTF_8));
        assertEquals(0, fixture.run("policy", "activate", "policy.yaml").status());
    }

    Result validateGood() {
        return fixture.run("validate", "--peer", "gw1.pem", "--id", "fqdn:gw1.example.net");
    }

    List<Event> events() {
        return fixture.events().stream().map(RecordedEvent::event).toList();
    }

    @Test
    void validate_fetches_a_missing_crl_and_records_it_before_the_request() {
        store("reject");
        network.body(PROFILE_URL, pki.issuingCrl());

        Result result = validateGood();

        assertEquals(0, result.status(), result.toString());
        List<Event> events = events();
        assertEquals(5, events.size(), events.toString());
        CrlLoaded loaded = assertInstanceOf(CrlLoaded.class, events.get(2));
        assertEquals(PROFILE_URL, loaded.source());
        assertEquals(Optional.of(new CrlLoaded.Fetch(TestPki.NOW, 200, Optional.of("\"v1\""),
                Optional.of("Tue, 01 Jan 2030 00:00:00 GMT"))), loaded.fetch());
        assertInstanceOf(ValidationRequested.class, events.get(3));
        assertTrue(result.out().startsWith("decision d-3 recorded at sequence 4"), result.out());
        assertTrue(result.out().contains("CRL of '" + ISSUER + "' from its distribution points: " + PROFILE_URL
                + " fetched (HTTP 200)"), result.out());
        assertTrue(result.err().contains("note: CRL of '" + ISSUER + "' needed (no CRL of '" + ISSUER
                + "' is held): fetched (HTTP 200)  from " + PROFILE_URL), result.err());
        // Fresh now: the next decision fetches nothing.
        assertEquals(0, validateGood().status());
        assertEquals(1, network.calls().size());
    }

    /** One fault of a distribution point and what it must come to. */
    record Fault(String name, ScriptedFetcherSetup setup, CrlFetchFailed.Code code, int status) {
    }

    @FunctionalInterface
    interface ScriptedFetcherSetup {
        void script(ScriptedFetcher network, Pki pki);
    }

    static List<Fault> faults() {
        TestPki stranger = TestPki.root(ISSUER);
        return List.of(
                new Fault("connection refused", (n, p) -> n.failure(PROFILE_URL, FetchFailure.REFUSED, 0,
                        "connection refused"), CrlFetchFailed.Code.REFUSED, 0),
                new Fault("timeout", (n, p) -> n.failure(PROFILE_URL, FetchFailure.TIMEOUT, 0,
                        "no answer within 5s"), CrlFetchFailed.Code.TIMEOUT, 0),
                new Fault("a server that trickles", (n, p) -> n.failure(PROFILE_URL, FetchFailure.TIMEOUT, 200,
                        "transfer not done within 30s (1 byte/s)"), CrlFetchFailed.Code.TIMEOUT, 200),
                new Fault("404", (n, p) -> n.failure(PROFILE_URL, FetchFailure.HTTP_STATUS, 404, "404 Not Found"),
                        CrlFetchFailed.Code.HTTP_STATUS, 404),
                new Fault("500", (n, p) -> n.failure(PROFILE_URL, FetchFailure.HTTP_STATUS, 500,
                        "500 Internal Server Error"), CrlFetchFailed.Code.HTTP_STATUS, 500),
                new Fault("a body over the size limit", (n, p) -> n.failure(PROFILE_URL, FetchFailure.TOO_LARGE, 200,
                        "more than 268435456 bytes"), CrlFetchFailed.Code.TOO_LARGE, 200),
                new Fault("a redirect loop", (n, p) -> n.failure(PROFILE_URL, FetchFailure.REDIRECT, 302,
                        "redirect loop"), CrlFetchFailed.Code.REDIRECT, 302),
                new Fault("an LDAP entry that is missing", (n, p) -> n.failure(PROFILE_URL,
                        FetchFailure.LDAP_NO_SUCH_ENTRY, 0, "no such object"),
                        CrlFetchFailed.Code.LDAP_NO_SUCH_ENTRY, 0),
                new Fault("an LDAP attribute that is missing", (n, p) -> n.failure(PROFILE_URL,
                        FetchFailure.LDAP_NO_SUCH_ATTRIBUTE, 0, "no certificateRevocationList"),
                        CrlFetchFailed.Code.LDAP_NO_SUCH_ATTRIBUTE, 0),
                new Fault("a body of garbage", (n, p) -> n.body(PROFILE_URL,
                        "<html>gateway error</html>".getBytes(StandardCharsets.US_ASCII)),
                        CrlFetchFailed.Code.NOT_A_CRL, 200),
                new Fault("a CRL from the wrong issuer", (n, p) -> n.body(PROFILE_URL, p.rootCrl()),
                        CrlFetchFailed.Code.WRONG_ISSUER, 200),
                new Fault("a CRL with a bad signature", (n, p) -> n.body(PROFILE_URL,
                        p.issuing().crl().badSignature().build()), CrlFetchFailed.Code.BAD_SIGNATURE, 200),
                new Fault("a CRL signed by another CA of the same name", (n, p) -> n.body(PROFILE_URL,
                        stranger.crl().build()), CrlFetchFailed.Code.BAD_SIGNATURE, 200),
                new Fault("a CRL past its nextUpdate", (n, p) -> n.body(PROFILE_URL, p.issuing().crl()
                        .thisUpdate(TestPki.NOW.minus(Duration.ofDays(9)))
                        .nextUpdate(TestPki.NOW.minus(Duration.ofDays(2))).build()),
                        CrlFetchFailed.Code.EXPIRED, 200));
    }

    @Test
    void every_fault_is_recorded_alone_and_decides_as_the_profile_says(@TempDir Path root) throws Exception {
        for (Fault fault : faults()) {
            for (String onFailure : List.of("reject", "accept")) {
                Path here = Files.createDirectories(root.resolve(fault.name().replace(' ', '-') + "-" + onFailure));
                fixture = new StoreFixture(here);
                pki.writeTo(fixture);
                ScriptedFetcher scripted = new ScriptedFetcher();
                fault.setup().script(scripted, pki);
                fixture.fetchers = policy -> scripted;
                fixture.clock.set(TestPki.NOW);
                store(onFailure);

                Result result = validateGood();

                String what = fault.name() + " under " + onFailure + ":\n" + result;
                List<Event> events = events();
                assertEquals(5, events.size(), what + events);
                CrlFetchFailed failed = assertInstanceOf(CrlFetchFailed.class, events.get(2), what);
                assertEquals(fault.code(), failed.reason(), what);
                assertEquals(fault.status(), failed.status(), what);
                assertEquals(PROFILE_URL, failed.url(), what);
                assertEquals(ISSUER, failed.issuer(), what);
                assertEquals(TestPki.NOW, failed.at(), what);
                assertTrue(result.out().contains(PROFILE_URL + " failed: " + fault.code()), what);
                ValidationDecided decided = assertInstanceOf(ValidationDecided.class, events.get(4), what);
                if (onFailure.equals("reject")) {
                    assertEquals(1, result.status(), what);
                    assertEquals("CRL_UNAVAILABLE", decided.reason().name(), what);
                } else {
                    assertEquals(0, result.status(), what);
                    assertTrue(result.out().lines().anyMatch(line -> line.matches("  revocation +warn +.*revocation"
                            + " not checked.*on-download-failure is accept")), what);
                }
                assertEquals(0, fixture.run("audit").status(), what);
            }
        }
    }

    @Test
    void a_certificate_whose_cdp_names_a_url_that_may_not_be_fetched_is_refused_and_recorded() {
        TestCert peer = pki.issuing().issue(TestPki.spec("CN=gw1.example.net, O=certgate test")
                .san(TestPki.dns("gw1.example.net")).crlDistributionPoint(TestPki.uri("file:///etc/shadow")));
        fixture.writePem("gw-cdp.pem", peer);
        store("reject");
        network.body(PROFILE_URL, pki.issuingCrl());

        Result result = fixture.run("validate", "--peer", "gw-cdp.pem", "--id", "fqdn:gw1.example.net");

        assertEquals(0, result.status(), result.toString());
        List<Event> events = events();
        CrlFetchFailed refused = assertInstanceOf(CrlFetchFailed.class, events.get(2));
        assertEquals(CrlFetchFailed.Code.URL_NOT_ALLOWED, refused.reason());
        assertEquals("file:///etc/shadow", refused.url());
        assertInstanceOf(CrlLoaded.class, events.get(3));
        assertEquals(List.of(URI.create(PROFILE_URL)), network.urls(), "the refused URL is never fetched");
    }

    @Test
    void an_unchanged_crl_is_recorded_small_whether_the_server_says_304_or_sends_the_same_bytes() {
        store("reject");
        network.body(PROFILE_URL, pki.issuingCrl());
        assertEquals(0, validateGood().status());
        fixture.clock.advance(Duration.ofHours(2));
        URI url = URI.create(PROFILE_URL);
        network.answer(url, previous -> "\"v1\"".equals(previous.etag())
                ? new FetchOutcome.NotModified(url, 304, previous, Duration.ofMillis(2))
                : ScriptedFetcher.fetched(url, pki.issuingCrl()));
        long before = fixture.storeBytes();

        assertEquals(0, fixture.run("fetch").status());

        List<Event> events = events();
        CrlUnchanged unchanged = assertInstanceOf(CrlUnchanged.class, events.get(events.size() - 1));
        assertEquals(304, unchanged.status());
        assertEquals(new FetchOutcome.Validators("\"v1\"", "Tue, 01 Jan 2030 00:00:00 GMT"),
                network.calls().get(network.calls().size() - 1).previous(), "the fetch was conditional");
        assertTrue(fixture.storeBytes() - before < 1024, "a 304 refresh took " + (fixture.storeBytes() - before));
        // A server that ignores the conditions and sends the same CRL: unchanged too, not the CRL again.
        network.body(PROFILE_URL, pki.issuingCrl());
        fixture.clock.advance(Duration.ofHours(2));
        before = fixture.storeBytes();
        assertEquals(0, fixture.run("fetch").status());
        events = events();
        assertEquals(200, assertInstanceOf(CrlUnchanged.class, events.get(events.size() - 1)).status());
        assertTrue(fixture.storeBytes() - before < 1024, "a same-body refresh took " + (fixture.storeBytes() - before));
    }

    @Test
    void fetch_prints_one_line_per_ca_and_fails_when_a_ca_got_no_crl() throws Exception {
        store("reject");
        network.body(PROFILE_URL, pki.issuingCrl());

        Result fetched = fixture.run("fetch");

        assertEquals(0, fetched.status(), fetched.toString());
        assertEquals("'" + ISSUER + "'  fetched (HTTP 200)  from " + PROFILE_URL + "  entries 1  age 24h",
                fetched.out().lines().findFirst().orElseThrow());
        network.failure(PROFILE_URL, FetchFailure.HTTP_STATUS, 503, "503 Service Unavailable");
        Result failed = fixture.run("fetch", "--format", "json");
        assertEquals(1, failed.status(), failed.toString());
        JsonNode ca = DecisionFormat.JSON.readTree(failed.out()).get("cas").get(0);
        assertEquals("failed", ca.get("outcome").asText());
        assertTrue(ca.get("detail").asText().contains("HTTP_STATUS (503 Service Unavailable)"), ca.toString());
        Result unknown = fixture.run("fetch", "--profile", "stor");
        assertEquals(2, unknown.status(), unknown.toString());
        assertTrue(unknown.err().contains("no CA profile 'stor'"), unknown.err());
    }

    @Test
    void replay_shows_per_ca_the_crl_in_force_where_from_when_fetched_next_due_and_the_last_failure() {
        store("reject");
        network.body(PROFILE_URL, pki.issuingCrl());
        fixture.run("fetch");
        fixture.clock.advance(Duration.ofHours(2));
        network.failure(PROFILE_URL, FetchFailure.TIMEOUT, 0, "no answer within 5s");
        fixture.run("fetch");

        Result replay = fixture.run("replay");

        assertEquals(0, replay.status(), replay.toString());
        String out = replay.out();
        assertTrue(out.contains("  " + ISSUER + "\n      DUE  sha256 ") && out.contains("  from " + PROFILE_URL
                + "  fetched " + TestPki.NOW + "  next due " + TestPki.NOW.plus(Duration.ofHours(1))), out);
        assertTrue(out.contains("      last failure " + TestPki.NOW.plus(Duration.ofHours(2)) + " " + PROFILE_URL
                + ": TIMEOUT (no answer within 5s)"), out);
    }
}
