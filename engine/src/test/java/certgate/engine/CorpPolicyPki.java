package certgate.engine;

import static certgate.engine.testpki.TestPki.dns;
import static certgate.engine.testpki.TestPki.email;
import static certgate.engine.testpki.TestPki.ip;

import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import certgate.testkit.Gen;
import java.util.List;

/**
 * The PKI behind {@link PolicyDecisionsTest#POLICY}, for properties drawing random requests under it: Corp's root
 * and issuing CA, a partner CA, peers of both (one revoked on Corp's CRL, one expired), and the IKE IDs and
 * gateways the requests name, chosen so that every gateway rule, identity type and trust path is hit.
 */
final class CorpPolicyPki {
    static final TestPki CORP_ROOT = TestPki.root("CN=Corp Root CA, O=Corp");
    static final TestPki CORP = CORP_ROOT.intermediate("CN=Corp Issuing CA, O=Corp");
    static final TestPki PARTNER = TestPki.root("CN=Partner CA, O=Partner");
    static final TestCert REVOKED = CORP.leaf("CN=branch-9, OU=Branches, O=Corp");
    static final List<TestCert> PEERS = List.of(
            CORP.leaf("CN=hq, O=Corp", dns("hq.corp.example")),
            CORP.leaf("CN=branch-1, L=Lyon, OU=Branches, O=Corp"),
            CORP.leaf("CN=gw, OU=sales, OU=engr, OU=central, O=Corp"),
            CORP.leaf("CN=gw, OU=engr, OU=lab, OU=central, O=Corp"),
            CORP.issue(TestPki.spec("CN=old, OU=Branches, O=Corp").validity(TestPki.NOT_BEFORE,
                    TestPki.NOW.minusSeconds(86_400))),
            REVOKED,
            PARTNER.leaf("CN=p, O=Partner", email("vpn@partner.example"), ip("192.0.2.20")),
            PARTNER.leaf("CN=hq, O=Partner", dns("hq.corp.example")));
    static final List<String> IDS = List.of("fqdn:hq.corp.example", "fqdn:HQ.corp.example.",
            "fqdn:other.example", "dn:CN=branch-1, L=Lyon, OU=Branches, O=Corp",
            "dn:cn=BRANCH-1,  l=lyon, ou=branches, o=corp", "dn:CN=branch-9, OU=Branches, O=Corp",
            "dn:CN=old, OU=Branches, O=Corp", "dn:CN=gw, OU=sales, OU=engr, OU=central, O=Corp",
            "dn:CN=gw, OU=engr, OU=lab, OU=central, O=Corp", "dn:CN=p, O=Partner", "ufqdn:vpn@partner.example",
            "ip:192.0.2.20", "ip:192.0.2.10", "ip:::ffff:192.0.2.20");
    static final List<String> GATEWAYS = List.of("hq", "branches", "engineering", "partner", "lab-gw",
            "psk-router", "hq-again");
    static final Gen<PolicyAsk> ASKS = PolicyAsk.from(PEERS, IDS, GATEWAYS);
    private static final byte[] CRL = CORP.crl().revoke(REVOKED.serial()).build();

    private CorpPolicyPki() {
    }

    /** {@code policy} compiled over this PKI: both CAs loaded under the policy's profiles, Corp's CRL in force. */
    static PolicyFixture fixture(String policy) {
        return PolicyFixture.of(policy).load("corp", CORP).load("partner", PARTNER).load("lab", PARTNER).crl(CRL);
    }
}
