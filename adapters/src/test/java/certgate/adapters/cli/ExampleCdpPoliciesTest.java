package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.cli.StoreFixture.Result;
import certgate.adapters.fetch.ScriptedFetcher;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped CDP examples do what their comments say: http-cdp.yaml fetches the example PKI's CRL from loopback
 * port 8000 (here the network is scripted to serve the file from policies/examples/pki, as the README's one-line
 * server would), and ldap-cdp.yaml names an LDAP URL on loopback whose port a real test rewrites.
 */
class ExampleCdpPoliciesTest {
    private static final Path EXAMPLES = Repository.root().resolve("policies/examples");
    private static final Path PKI = EXAMPLES.resolve("pki");

    @TempDir
    Path dir;

    private StoreFixture store(String policy, String url, ScriptedFetcher network) throws IOException {
        StoreFixture fixture = new StoreFixture(dir);
        fixture.fetchers = p -> network;
        fixture.clock.set(Instant.parse("2030-01-01T00:00:00Z"));
        for (String file : List.of("issuing-ca.pem", "issuing-ca.crl", "gw-good.pem", "gw-revoked.pem")) {
            fixture.write(file, Files.readAllBytes(PKI.resolve(file)));
        }
        network.body(url, Files.readAllBytes(PKI.resolve("issuing-ca.crl")));
        fixture.write("policy.yaml", Files.readAllBytes(EXAMPLES.resolve(policy)));
        assertEquals(0, fixture.run("load", "ca", "issuing-ca.pem", "--profile", "example").status());
        assertEquals(0, fixture.run("policy", "activate", "policy.yaml").status());
        return fixture;
    }

    @Test
    void http_cdp_fetches_the_example_crl_and_decides_both_peers_with_it() throws IOException {
        ScriptedFetcher network = new ScriptedFetcher();
        StoreFixture fixture = store("http-cdp.yaml", "http://127.0.0.1:8000/issuing-ca.crl", network);

        Result fetch = fixture.run("fetch");
        Result good = fixture.run("validate", "--peer", "gw-good.pem", "--id", "fqdn:gw1.example.net");
        Result revoked = fixture.run("validate", "--peer", "gw-revoked.pem", "--id",
                "dn:CN=gw2.example.net, OU=VPN, O=Example, C=US");

        assertEquals(0, fetch.status(), fetch.toString());
        assertTrue(fetch.out().startsWith("'CN=Example Issuing CA, O=Example, C=US'  fetched (HTTP 200)  from"
                + " http://127.0.0.1:8000/issuing-ca.crl  entries 1  age "), fetch.out());
        assertEquals(0, good.status(), good.toString());
        assertEquals(1, revoked.status(), revoked.toString());
        assertTrue(revoked.out().contains("reject REVOKED"), revoked.out());
        assertEquals(1, network.calls().size(), "the CRL fetched is fresh for both decisions");
    }

    @Test
    void ldap_cdp_names_a_loopback_ldap_url_that_a_test_can_point_at_its_own_slapd() throws IOException {
        String text = Files.readString(EXAMPLES.resolve("ldap-cdp.yaml"), StandardCharsets.UTF_8);
        String shipped = "ldap://127.0.0.1:3389/cn=Example%20Issuing%20CA,dc=example,dc=net"
                + "?certificateRevocationList;binary";
        assertTrue(text.contains("\"" + shipped + "\""), text);
        String url = shipped.replace(":3389/", ":40123/");
        ScriptedFetcher network = new ScriptedFetcher();
        Files.writeString(dir.resolve("ldap-cdp.yaml"), text.replace(shipped, url), StandardCharsets.UTF_8);
        StoreFixture fixture = new StoreFixture(dir);
        fixture.fetchers = p -> network;
        fixture.clock.set(Instant.parse("2030-01-01T00:00:00Z"));
        for (String file : List.of("issuing-ca.pem", "gw-good.pem")) {
            fixture.write(file, Files.readAllBytes(PKI.resolve(file)));
        }
        network.body(url, Files.readAllBytes(PKI.resolve("issuing-ca.crl")));
        assertEquals(0, fixture.run("load", "ca", "issuing-ca.pem", "--profile", "example").status());
        assertEquals(0, fixture.run("policy", "activate", "ldap-cdp.yaml").status());

        Result good = fixture.run("validate", "--peer", "gw-good.pem", "--id", "fqdn:gw1.example.net");

        assertEquals(0, good.status(), good.toString());
        assertEquals(List.of(URI.create(url)), network.urls());
    }
}
