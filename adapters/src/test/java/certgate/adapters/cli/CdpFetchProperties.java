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
import certgate.eventstore.Event;
import certgate.eventstore.RecordedEvent;
import certgate.testkit.Gen;
import certgate.testkit.Property;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10's properties, with the network scripted: the fallback order is exactly certificate CDP, then the
 * profile's URLs, then the default CDP; and for any sequence of fetch outcomes, {@code audit} (which never
 * fetches) re-decides every recorded decision as it was decided.
 */
class CdpFetchProperties {
    static final String CDP = "http://cdp.example.net/issuing.crl";
    static final String PROFILE_1 = "http://profile.example.net/1.crl";
    static final String PROFILE_2 = "ldap://ldap.example.net/cn=Store%20Issuing%20CA?certificateRevocationList";
    static final String DEFAULT = "http://default.example.net/issuing.crl";
    static final List<String> ORDER = List.of(CDP, PROFILE_1, PROFILE_2, DEFAULT);

    @TempDir
    Path root;
    private final AtomicInteger runs = new AtomicInteger();
    private final Pki pki = Pki.create();
    private final TestCert peer = pki.issuing().issue(TestPki.spec("CN=gw1.example.net, O=certgate test")
            .san(TestPki.dns("gw1.example.net")).crlDistributionPoint(TestPki.uri(CDP)));

    private StoreFixture fresh(ScriptedFetcher network, String onDownloadFailure) {
        Path dir;
        try {
            dir = Files.createDirectories(root.resolve("run-" + runs.incrementAndGet()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StoreFixture fixture = new StoreFixture(dir);
        pki.writeTo(fixture);
        fixture.writePem("gw-cdp.pem", peer);
        fixture.fetchers = policy -> network;
        fixture.clock.set(TestPki.NOW);
        String policy = """
                version: 1
                pki:
                  default-cdp: %s
                  ca-profiles:
                    - name: store
                      revocation-check:
                        crl:
                          url: [%s, "%s"]
                          refresh-interval: 1h
                          on-download-failure: %s
                ike:
                  gateways:
                    - name: gw
                      ca-profile: store
                      remote-identity: {fqdn: gw1.example.net}
                """.formatted(DEFAULT, PROFILE_1, PROFILE_2, onDownloadFailure);
        fixture.write("policy.yaml", policy.getBytes(StandardCharsets.UTF_8));
        assertEquals(0, fixture.run("load", "ca", "issuing.pem").status());
        assertEquals(0, fixture.run("policy", "activate", "policy.yaml").status());
        return fixture;
    }

    @Test
    void the_fallback_order_is_exactly_certificate_cdp_then_profile_urls_then_default_cdp() {
        Gen<List<Boolean>> answers = random -> List.of(random.nextInt(3) == 0, random.nextInt(3) == 0,
                random.nextInt(3) == 0, random.nextInt(3) == 0);
        Property.forAll(answers).tries(12).check(good -> {
            ScriptedFetcher network = new ScriptedFetcher();
            for (int i = 0; i < ORDER.size(); i++) {
                if (good.get(i)) {
                    network.body(ORDER.get(i), pki.issuingCrl());
                } else {
                    network.failure(ORDER.get(i), FetchFailure.HTTP_STATUS, 404, "404 Not Found");
                }
            }
            StoreFixture fixture = fresh(network, "reject");

            Result result = fixture.run("validate", "--peer", "gw-cdp.pem", "--id", "fqdn:gw1.example.net");

            int firstGood = good.indexOf(true);
            List<String> expected = firstGood < 0 ? ORDER : ORDER.subList(0, firstGood + 1);
            assertEquals(expected.stream().map(URI::create).toList(), network.urls(), result.toString());
            List<Event> events = fixture.events().stream().map(RecordedEvent::event).toList();
            List<Event> fetched = events.subList(2, 2 + expected.size());
            for (int i = 0; i < expected.size(); i++) {
                boolean last = i == expected.size() - 1;
                if (last && firstGood >= 0) {
                    assertEquals(expected.get(i), assertInstanceOf(CrlLoaded.class, fetched.get(i)).source());
                } else {
                    assertEquals(expected.get(i), assertInstanceOf(CrlFetchFailed.class, fetched.get(i)).url());
                }
            }
            assertEquals(firstGood >= 0 ? 0 : 1, result.status(), result.toString());
        });
    }

    /** One step of a history: how long since the last, what the distribution point does, which peer asks. */
    record Step(long minutes, int outcome, boolean revokedPeer) {
    }

    @Test
    void for_any_sequence_of_fetch_outcomes_audit_re_decides_every_decision_without_the_network() {
        Gen<List<Step>> histories = random -> {
            List<Step> steps = new ArrayList<>();
            for (int i = 2 + random.nextInt(6); i > 0; i--) {
                steps.add(new Step(random.nextInt(4) * 45L, random.nextInt(6), random.nextInt(4) == 0));
            }
            return steps;
        };
        Property.forAll(histories).tries(8).check(history -> {
            ScriptedFetcher network = new ScriptedFetcher();
            StoreFixture fixture = fresh(network, runs.get() % 2 == 0 ? "reject" : "accept");
            int number = 1;
            for (Step step : history) {
                fixture.clock.advance(Duration.ofMinutes(step.minutes()));
                byte[] crl = pki.issuing().crl().thisUpdate(fixture.clock.instant().minus(Duration.ofHours(1)))
                        .number(number++).revoke(pki.revoked().serial()).build();
                URI url = URI.create(CDP);
                network.answer(url, previous -> switch (step.outcome()) {
                    case 0 -> ScriptedFetcher.fetched(url, crl);
                    case 1 -> previous.etag() == null ? ScriptedFetcher.fetched(url, crl)
                            : new FetchOutcome.NotModified(url, 304, previous, Duration.ZERO);
                    case 2 -> new FetchOutcome.Failed(url, FetchFailure.TIMEOUT, 0, "no answer", Duration.ZERO);
                    case 3 -> ScriptedFetcher.fetched(url, "garbage".getBytes(StandardCharsets.US_ASCII));
                    case 4 -> ScriptedFetcher.fetched(url, pki.rootCrl());
                    default -> new FetchOutcome.Failed(url, FetchFailure.REFUSED, 0, "refused", Duration.ZERO);
                });
                TestCert who = step.revokedPeer() ? pki.revoked() : peer;
                fixture.writePem("asking.pem", who);
                fixture.run("validate", "--peer", "asking.pem", "--id", "fqdn:" + (step.revokedPeer()
                        ? "gw2.example.net" : "gw1.example.net"));
            }
            int before = network.calls().size();
            Result audit = fixture.run("audit");
            assertEquals(0, audit.status(), audit.toString());
            assertTrue(audit.out().contains(" 0 mismatches"), audit.out());
            List<RecordedEvent> events = fixture.events();
            RecordedEvent lastDecision = events.get(events.size() - 1);
            Result explain = fixture.run("explain", "d-" + (lastDecision.sequence() - 1));
            assertEquals(0, explain.status(), explain.toString());
            assertEquals(before, network.calls().size(), "audit and explain never fetch");
        });
    }
}
