package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.cli.StoreFixture.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code certgate export strongswan} writes for every policy of the repository is what a real charon
 * accepts: {@code swanctl --load-all} succeeds and loads one connection per connection of the export, with
 * charon's strongswan.conf including the export's charon settings.
 */
class ExportIntoCharonTest {
    @TempDir
    Path dir;

    @Test
    void swanctl_loads_the_export_of_every_shipped_policy() throws IOException {
        StrongSwan.assumeAvailable();
        StoreFixture fixture = new StoreFixture(dir);
        List<Path> exports = new ArrayList<>();
        for (Path policy : ExportTest.shippedPolicies()) {
            Path out = dir.resolve("export-" + exports.size());
            Result result = fixture.runExactly(List.of("export", "strongswan", "--policy", policy.toString(), "--out",
                    out.toString()));
            assertEquals(0, result.status(), result.toString());
            exports.add(out);
        }
        fixture.run("load", "ca", ExportTest.EXAMPLE_PKI.resolve("issuing-ca.pem").toString(), "--profile", "example");
        Path withStore = dir.resolve("export-with-store");
        Result result = fixture.run("export", "strongswan", "--policy", ExportTest.policy("examples/example-pki.yaml"),
                "--out", withStore.toString(), "--crl-url", "http://127.0.0.1:8080", "--ocsp-url",
                "http://127.0.0.1:8080/ocsp");
        assertEquals(0, result.status(), result.toString());
        exports.add(withStore);

        try (IkeLab lab = IkeLab.open(Files.createDirectories(dir.resolve("lab")))) {
            for (Path export : exports) {
                String conf = Files.readString(export.resolve("swanctl.conf"));
                long connections = conf.lines().filter(line -> line.equals("        remote {")).count();
                try (StrongSwan.Charon charon = lab.startResponder(export, "charon-" + export.getFileName())) {
                    StrongSwan.Result loaded = charon.swanctl("--load-all", "--noprompt");
                    assertEquals(0, loaded.status(), export + ":\n" + loaded.output());
                    assertFalse(loaded.output().contains("failed"), export + ":\n" + loaded.output());
                    assertTrue(loaded.output().contains("successfully loaded " + connections + " connections"),
                            export + ":\n" + conf + "\n" + loaded.output());
                    String listed = charon.swanctl("--list-conns").output();
                    assertEquals(connections, listed.lines().filter(l -> l.contains(": IKEv1/2")).count(),
                            listed);
                }
            }
        }
    }
}
