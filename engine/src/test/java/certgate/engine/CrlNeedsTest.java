package certgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.engine.CrlNeed.CrlSource;
import certgate.engine.CrlNeed.CrlSource.Origin;
import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import certgate.engine.trace.TraceStep;
import certgate.eventstore.Blob;
import certgate.eventstore.CrlFetchFailed;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.CrlUnchanged;
import certgate.eventstore.Event;
import certgate.eventstore.Reason;
import certgate.eventstore.ValidationRequested;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Where the CRLs of a decision come from (issue 10): the engine's pure query an adapter asks before deciding,
 * the freshness of what the state holds, the check of a fetched body, and the trace a fetch leaves.
 */
class CrlNeedsTest {
    private static final String POLICY = """
            version: 1
            pki:
              clock-skew: 5m
              default-cdp: http://default.example.net/any.crl
              ca-profiles:
                - name: corp
                  revocation-check:
                    crl:
                      url: [http://profile.example.net/1.crl, "ldap://ldap.example.net/cn=CA?certificateRevocationList"]
                      refresh-interval: 6h
                      on-download-failure: %s
            ike:
              gateways:
                - name: gw
                  ca-profile: corp
                  remote-identity: {fqdn: gw.example.net}
            """;

    private final TestPki ca = TestPki.root("CN=Corp CA");
    private final TestCert peer = ca.issue(TestPki.spec("CN=gw").san(TestPki.dns("gw.example.net"))
            .crlDistributionPoint(TestPki.uri("http://cdp.example.net/corp.crl"))
            .crlDistributionPoint(TestPki.uri("file:///etc/passwd")));

    private PolicyFixture fixture(String onDownloadFailure) {
        return PolicyFixture.of(POLICY.formatted(onDownloadFailure)).load("corp", ca);
    }

    private static Engine with(PolicyFixture fixture, Event... more) {
        List<Event> events = new ArrayList<>(fixture.events());
        events.addAll(List.of(more));
        return Engine.replay(events);
    }

    private ValidationRequested request(PolicyFixture fixture) {
        return fixture.request(peer, Optional.of("fqdn:gw.example.net"), Optional.empty());
    }

    @Test
    void the_fallback_order_is_the_certificates_cdp_then_the_profiles_urls_then_the_default_cdp() {
        PolicyFixture fixture = fixture("reject");
        List<CrlNeed> needs = fixture.engine().crlNeeds(request(fixture));
        assertEquals(1, needs.size());
        CrlNeed need = needs.get(0);
        assertEquals("CN=Corp CA", need.issuer());
        assertEquals(CrlNeed.Status.MISSING, need.status());
        assertTrue(need.fetchNeeded());
        assertEquals(List.of(
                new CrlSource(URI.create("http://cdp.example.net/corp.crl"), Origin.CERTIFICATE_CDP),
                new CrlSource(URI.create("file:///etc/passwd"), Origin.CERTIFICATE_CDP),
                new CrlSource(URI.create("http://profile.example.net/1.crl"), Origin.PROFILE),
                new CrlSource(URI.create("ldap://ldap.example.net/cn=CA?certificateRevocationList"), Origin.PROFILE),
                new CrlSource(URI.create("http://default.example.net/any.crl"), Origin.DEFAULT_CDP)),
                need.sources());
    }

    @Test
    void a_certificate_whose_signature_does_not_verify_is_never_a_source_of_urls() {
        TestCert forged = ca.issue(TestPki.spec("CN=gw").san(TestPki.dns("gw.example.net"))
                .crlDistributionPoint(TestPki.uri("http://attacker.example.net/x.crl")).badSignature());
        PolicyFixture fixture = fixture("reject");
        ValidationRequested request = fixture.request(forged, Optional.of("fqdn:gw.example.net"), Optional.empty());
        assertEquals(Reason.SIGNATURE_INVALID, fixture.engine().decide(request).reason());
        assertEquals(List.of(), fixture.engine().crlNeeds(request));
    }

    @Test
    void a_crl_is_fresh_until_its_next_update_or_the_refresh_interval_after_its_fetch_whichever_comes_first() {
        PolicyFixture fixture = fixture("reject");
        byte[] crl = ca.crl().build();
        Instant fetchedAt = TestPki.NOW.minus(Duration.ofHours(7));
        Engine engine = with(fixture, new CrlLoaded(Blob.of(crl), "http://cdp.example.net/corp.crl",
                Optional.of(new CrlLoaded.Fetch(fetchedAt, 200, Optional.empty(), Optional.empty()))));
        CrlNeed due = engine.crlNeeds(request(fixture)).get(0);
        assertEquals(CrlNeed.Status.DUE, due.status());
        assertTrue(due.why().contains("refresh-interval"), due.why());
        assertEquals(Optional.of(fetchedAt.plus(Duration.ofHours(6))), due.nextDue());
        // Found unchanged an hour ago: fresh again for five hours.
        Engine checked = engine.apply(new CrlUnchanged("http://cdp.example.net/corp.crl", "CN=Corp CA",
                Blob.of(crl).sha256Hex(), TestPki.NOW.minus(Duration.ofHours(1)), 304, Optional.empty(),
                Optional.empty()));
        CrlNeed fresh = checked.crlNeeds(request(fixture)).get(0);
        assertEquals(CrlNeed.Status.FRESH, fresh.status());
        assertEquals(Optional.of(TestPki.NOW.plus(Duration.ofHours(5))), fresh.nextDue());
        // Past its nextUpdate it is due whatever the interval says.
        PolicyFixture stale = fixture("reject").crl(ca.crl().thisUpdate(TestPki.NOW.minus(Duration.ofDays(10)))
                .nextUpdate(TestPki.NOW.minus(Duration.ofDays(1))).build());
        CrlNeed past = stale.engine().crlNeeds(request(stale)).get(0);
        assertEquals(CrlNeed.Status.DUE, past.status());
        assertTrue(past.why().contains("nextUpdate"), past.why());
    }

    @Test
    void a_crl_past_its_next_update_plus_the_clock_skew_never_clears_a_certificate() {
        PolicyFixture fixture = fixture("reject").crl(ca.crl().thisUpdate(TestPki.NOW.minus(Duration.ofDays(10)))
                .nextUpdate(TestPki.NOW.minus(Duration.ofMinutes(6))).build());
        Decision decision = fixture.engine().decide(request(fixture));
        assertEquals(Reason.CRL_UNAVAILABLE, decision.reason());
        PolicyFixture withinSkew = fixture("reject").crl(ca.crl().thisUpdate(TestPki.NOW.minus(Duration.ofDays(10)))
                .nextUpdate(TestPki.NOW.minus(Duration.ofMinutes(4))).build());
        assertTrue(withinSkew.engine().decide(request(withinSkew)).accepted());
    }

    @Test
    void a_fetched_body_is_the_cas_crl_only_when_it_parses_names_it_verifies_and_is_current() {
        PolicyFixture fixture = fixture("reject");
        Engine engine = fixture.engine();
        CrlNeed need = engine.crlNeeds(request(fixture)).get(0);
        String url = "http://cdp.example.net/corp.crl";
        assertInstanceOf(FetchedCrl.Usable.class, check(engine, ca.crl().build(), need, url, TestPki.NOW));
        assertEquals(CrlFetchFailed.Code.NOT_A_CRL, code(check(engine, "<html>".getBytes(
                java.nio.charset.StandardCharsets.US_ASCII), need, url, TestPki.NOW)));
        TestPki other = TestPki.root("CN=Other CA");
        assertEquals(CrlFetchFailed.Code.WRONG_ISSUER, code(check(engine, other.crl().build(), need, url,
                TestPki.NOW)));
        assertEquals(CrlFetchFailed.Code.BAD_SIGNATURE, code(check(engine, ca.crl().badSignature().build(),
                need, url, TestPki.NOW)));
        assertEquals(CrlFetchFailed.Code.EXPIRED, code(check(engine, ca.crl()
                .thisUpdate(TestPki.NOW.minus(Duration.ofDays(3))).nextUpdate(TestPki.NOW.minus(Duration.ofDays(1)))
                .build(), need, url, TestPki.NOW)));
    }

    private static FetchedCrl check(Engine engine, byte[] body, CrlNeed need, String url, Instant now) {
        return engine.checkFetchedCrl(Blob.of(body), need, url, now);
    }

    private static CrlFetchFailed.Code code(FetchedCrl fetched) {
        return assertInstanceOf(FetchedCrl.Unusable.class, fetched).code();
    }

    @Test
    void the_trace_names_each_source_tried_and_accept_warns_that_revocation_was_not_checked() {
        PolicyFixture fixture = fixture("accept");
        Instant at = TestPki.NOW.minusSeconds(10);
        Engine engine = with(fixture,
                new CrlFetchFailed("http://cdp.example.net/corp.crl", "CN=Corp CA", CrlFetchFailed.Code.TIMEOUT, at,
                        0, "no answer within 30s"),
                new CrlFetchFailed("http://profile.example.net/1.crl", "CN=Corp CA", CrlFetchFailed.Code.HTTP_STATUS,
                        at, 404, "404 Not Found"));
        Decision decision = engine.decide(request(fixture));
        assertTrue(decision.accepted(), decision.toString());
        TraceStep sources = decision.trace().stream().filter(s -> s.detail().startsWith("CRL of 'CN=Corp CA'"))
                .findFirst().orElseThrow(() -> new AssertionError(decision.trace().toString()));
        assertEquals(TraceStep.Outcome.INFO, sources.outcome());
        assertTrue(sources.detail().contains("http://cdp.example.net/corp.crl failed: TIMEOUT (no answer within 30s)")
                && sources.detail().indexOf("cdp.example.net") < sources.detail().indexOf("profile.example.net"),
                sources.detail());
        TraceStep last = decision.trace().get(decision.trace().size() - 1);
        assertEquals(TraceStep.Outcome.WARN, last.outcome());
        assertTrue(last.detail().contains("revocation not checked") && last.detail().contains("on-download-failure"),
                last.detail());
        assertEquals(Optional.of(CrlFetchFailed.Code.HTTP_STATUS),
                engine.crlNeeds(request(fixture)).get(0).lastFailure().map(CrlFetchFailed::reason));
        // The same events fail closed under reject.
        PolicyFixture rejecting = fixture("reject");
        assertEquals(Reason.CRL_UNAVAILABLE, with(rejecting, new CrlFetchFailed("http://cdp.example.net/corp.crl",
                "CN=Corp CA", CrlFetchFailed.Code.TIMEOUT, at, 0, "")).decide(request(rejecting)).reason());
    }

    @Test
    void every_loaded_ca_is_listed_with_the_urls_of_the_profiles_that_trust_it() {
        PolicyFixture fixture = fixture("reject");
        Engine engine = fixture.engine();
        List<CrlNeed> all = engine.caCrls(TestPki.NOW, engine.activePolicy());
        assertEquals(1, all.size());
        assertEquals(List.of(URI.create("http://profile.example.net/1.crl"),
                URI.create("ldap://ldap.example.net/cn=CA?certificateRevocationList"),
                URI.create("http://default.example.net/any.crl")),
                all.get(0).sources().stream().map(CrlSource::url).toList());
        assertEquals(List.of(), engine.caCrls(TestPki.NOW, Optional.empty()).get(0).sources());
    }
}
