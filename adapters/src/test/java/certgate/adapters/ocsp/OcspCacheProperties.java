package certgate.adapters.ocsp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import certgate.engine.testpki.TestPki;
import certgate.testkit.Gen;
import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The responder's caches (of parsed requests and of signed answers per CertID) answer exactly as a responder
 * without them: through any sequence of CRL loads (revoking one serial or another, current, stale or with no
 * nextUpdate) and of requests as time moves on, each answer from the long-lived responder says what a fresh one
 * says at that moment (status, revocation, thisUpdate, nextUpdate, RFC 5019 freshness) and records the same
 * event. Signatures differ (ECDSA is randomised), so the signed contents are compared, not the bytes.
 */
class OcspCacheProperties {
    @TempDir
    Path dir;
    private OcspFixture fixture;
    private OcspResponders responders;

    /** One step of a scenario: load a CRL, let time pass, or ask about a serial. */
    private sealed interface Step permits LoadCrl, Wait, Ask {
    }

    /** A CRL made {@code madeAgo} seconds before the step, due {@code dueIn} seconds after it (or never). */
    private record LoadCrl(long madeAgo, Optional<Long> dueIn, boolean revokesGood, boolean revokesRevoked)
            implements Step {
    }

    private record Wait(long seconds) implements Step {
    }

    /** 0: the good peer, 1: the revoked one, 2: a serial no CRL lists. */
    private record Ask(int who, boolean sha256) implements Step {
    }

    private static final Gen<Step> STEPS = Gens.frequency(
            random -> new LoadCrl(random.nextLong(0, 3 * 86_400),
                    random.nextInt(4) == 0 ? Optional.empty() : Optional.of(random.nextLong(-3_600, 2 * 86_400)),
                    random.nextBoolean(), random.nextBoolean()),
            random -> new Wait(random.nextLong(0, 86_400)),
            random -> new Ask(random.nextInt(3), random.nextBoolean()),
            random -> new Ask(random.nextInt(3), random.nextBoolean()),
            random -> new Ask(random.nextInt(3), random.nextBoolean()));

    @BeforeEach
    void start() throws Exception {
        fixture = new OcspFixture(dir, Clock.fixed(TestPki.NOW, ZoneOffset.UTC));
        responders = OcspResponders.load(List.of(new OcspResponders.Files(dir.resolve("responder.pem"),
                dir.resolve("responder.key"))), fixture.service.state(), TestPki.NOW);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void the_cached_responder_answers_every_request_as_a_fresh_responder_would() {
        OcspResponder cached = new OcspResponder(responders);
        long[] crlNumber = {0};
        Property.forAll(Gens.listOf(STEPS, 1, 24)).tries(30).check(steps -> {
            Instant now = TestPki.NOW.plusSeconds(crlNumber[0] * 10 * 86_400); // each try after the last one's CRLs
            List<String> trace = new ArrayList<>();
            for (Step step : steps) {
                trace.add(step.toString());
                if (step instanceof LoadCrl load) {
                    var crl = fixture.ca.crl().thisUpdate(now.minusSeconds(load.madeAgo())).number(++crlNumber[0]);
                    crl = load.dueIn().isPresent() ? crl.nextUpdate(now.plusSeconds(load.dueIn().get()))
                            : crl.noNextUpdate();
                    if (load.revokesGood()) {
                        crl = crl.revoke(fixture.good.serial(), now.minusSeconds(load.madeAgo() + 60), 1);
                    }
                    if (load.revokesRevoked()) {
                        crl = crl.revoke(fixture.revoked.serial(), now.minusSeconds(load.madeAgo() + 120), 4);
                    }
                    fixture.loadCrl(crl.build());
                } else if (step instanceof Wait wait) {
                    now = now.plusSeconds(wait.seconds());
                } else {
                    Ask ask = (Ask) step;
                    BigInteger serial = switch (ask.who()) {
                        case 0 -> fixture.good.serial();
                        case 1 -> fixture.revoked.serial();
                        default -> BigInteger.valueOf(424_242);
                    };
                    byte[] request = request(serial, ask.sha256());
                    OcspResponder.Reply got = cached.respond(fixture.service.state(), request, now);
                    OcspResponder.Reply expected = new OcspResponder(responders).respond(fixture.service.state(),
                            request.clone(), now);
                    String where = String.join("\n  ", trace);
                    assertEquals(contents(expected), contents(got), where);
                    assertEquals(expected.answers(), got.answers(), where);
                    assertEquals(expected.freshness().map(f -> List.of(f.thisUpdate(), f.nextUpdate())),
                            got.freshness().map(f -> List.of(f.thisUpdate(), f.nextUpdate())), where);
                }
            }
        });
    }

    private byte[] request(BigInteger serial, boolean sha256) {
        try {
            return OcspEndpointTest.request(OcspEndpointTest.certId(fixture.ca, serial, sha256), null);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** What a client reads from a response: its status and, when signed, each answer with its dates. */
    private static List<Object> contents(OcspResponder.Reply reply) {
        try {
            OCSPResp response = new OCSPResp(reply.response());
            List<Object> contents = new ArrayList<>(List.of(response.getStatus()));
            if (response.getStatus() != OCSPResp.SUCCESSFUL) {
                return contents;
            }
            for (SingleResp single : ((BasicOCSPResp) response.getResponseObject()).getResponses()) {
                CertificateStatus status = single.getCertStatus();
                contents.add(single.getCertID().getSerialNumber());
                contents.add(status == null ? "good" : status instanceof RevokedStatus revoked
                        ? "revoked " + revoked.getRevocationTime().toInstant() + " " + revoked.getRevocationReason()
                        : status.getClass().getSimpleName());
                contents.add(single.getThisUpdate().toInstant());
                contents.add(Optional.ofNullable(single.getNextUpdate()).map(d -> d.toInstant()));
            }
            return contents;
        } catch (Exception e) {
            throw new AssertionError("not an OCSP response", e);
        }
    }
}
