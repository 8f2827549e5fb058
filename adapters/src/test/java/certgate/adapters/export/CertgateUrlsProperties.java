package certgate.adapters.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code --crl-url} and {@code --ocsp-url} are the exports' only input from the command line besides the policy:
 * damaged URLs are refused with a message naming the option, or accepted only when a gateway's configuration can
 * hold them unquoted and they are still http(s) URLs with a host.
 */
class CertgateUrlsProperties {
    private static final byte[] VALID = "http://certgate.example:8080/".getBytes(StandardCharsets.UTF_8);

    @Test
    void a_damaged_url_is_refused_naming_its_option_or_accepted_as_a_plain_http_url() {
        Property.forAll(Gens.damaged(VALID)).tries(500).check(bytes -> {
            String text = new String(bytes, StandardCharsets.UTF_8);
            CertgateUrls urls;
            try {
                urls = CertgateUrls.of(Optional.of(text), Optional.of(text));
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().startsWith("--crl-url '") || e.getMessage().startsWith("--ocsp-url '"),
                        e.getMessage());
                return;
            } catch (RuntimeException e) {
                fail("'" + text + "' made " + e, e);
                return;
            }
            String ocsp = urls.ocsp().orElseThrow();
            assertEquals(text, ocsp);
            assertTrue(ocsp.matches("(?i)https?://[^/]+.*"), ocsp);
            assertTrue(StrongSwanExport.plainUrl(ocsp) && JunosExport.quoted(ocsp).equals(ocsp), ocsp);
            assertTrue(urls.profileCrl("p").orElseThrow().endsWith("/crls/p.crl"));
        });
    }
}
