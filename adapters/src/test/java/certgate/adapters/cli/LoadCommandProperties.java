package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.cli.StoreFixture.Pki;
import certgate.adapters.cli.StoreFixture.Result;
import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged CA certificate or CRL file is refused with a message naming the file, and the store is left as it was:
 * never an exception, never a changed certificate or CRL taken in as checked. The CA that issued the damaged object
 * is loaded, and the object names it twice (issuer name and authorityKeyIdentifier), so one change cannot make it
 * pass as an object whose issuer is unknown; only two changes that hit both can, and then the load says that its
 * issuer is not loaded (and a kept CRL is inert: decisions stay as they were).
 */
class LoadCommandProperties {
    @TempDir
    Path dir;

    /**
     * Puts back the store as it was before the try, every file of it: a failing try may have changed it, shrinking
     * reruns, and a try whose damaged CRL was kept appended decisions, which the writer checkpoint (and a snapshot)
     * remember: segments put back without them would read as acknowledged events lost.
     */
    private static void restore(StoreFixture fixture, Map<Path, byte[]> pristine) {
        try {
            for (Path file : files(fixture)) {
                if (!pristine.containsKey(file)) {
                    Files.delete(file);
                }
            }
            for (Map.Entry<Path, byte[]> file : pristine.entrySet()) {
                Files.write(file.getKey(), file.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<Path, byte[]> snapshot(StoreFixture fixture) throws IOException {
        Map<Path, byte[]> files = new HashMap<>();
        for (Path file : files(fixture)) {
            files.put(file, Files.readAllBytes(file));
        }
        return files;
    }

    private static List<Path> files(StoreFixture fixture) throws IOException {
        try (Stream<Path> walk = Files.walk(fixture.store())) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    private static void deleteStore(StoreFixture fixture) {
        try {
            for (Path segment : Files.isDirectory(fixture.store()) ? fixture.segments() : List.<Path>of()) {
                Files.delete(segment);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A damaged object may be kept only when the damage hit both the issuer's name and its key identifier (two
     * changes), so that it no longer claims any loaded CA and nothing could check its signature; the message must
     * say so.
     */
    private static void assertKeptOnlyAsUnclaimed(Result result, String message) {
        assertTrue(result.out().contains(message) && !result.out().contains("verified")
                && !result.out().contains("self-signed"), "a changed object was taken in as checked:\n" + result);
    }

    private void assertRefusedUntouched(StoreFixture fixture, Result result, long storeBytes) {
        assertEquals(2, result.status(), result.toString());
        assertTrue(result.err().contains("damaged.der"), result.toString());
        assertTrue(result.err().contains("nothing appended"), result.toString());
        assertFalse(result.err().contains("internal error"), result.toString());
        assertEquals(storeBytes, fixture.storeBytes(), "a refused load must leave the store as it was");
    }

    @Test
    void a_damaged_ca_certificate_is_refused_by_name_and_appends_nothing() throws IOException {
        StoreFixture fixture = new StoreFixture(dir);
        Pki pki = Pki.create().writeTo(fixture);
        fixture.run("load", "ca", "root.pem");
        long storeBytes = fixture.storeBytes();
        Map<Path, byte[]> pristine = snapshot(fixture);
        byte[] valid = pki.issuing().certificate().der();
        assertEquals(0, fixture.run("load", "ca", fixture.write("valid.der", valid), "--store", "elsewhere")
                .status(), "the undamaged certificate loads");

        Property.forAll(Gens.damaged(valid)).tries(60).check(damaged -> {
            restore(fixture, pristine);
            fixture.write("damaged.der", damaged);
            Result result = fixture.run("load", "ca", "damaged.der");
            if (result.status() == 0) {
                assertKeptOnlyAsUnclaimed(result, "its issuer '");
            } else {
                assertRefusedUntouched(fixture, result, storeBytes);
            }
        });
    }

    @Test
    void a_damaged_root_is_refused_by_name_even_into_an_empty_store() {
        StoreFixture fixture = new StoreFixture(dir);
        Pki pki = Pki.create().writeTo(fixture);
        byte[] valid = pki.root().certificate().der();
        assertEquals(0, fixture.run("load", "ca", fixture.write("valid.der", valid), "--store", "elsewhere")
                .status(), "the undamaged root loads");

        Property.forAll(Gens.damaged(valid)).tries(60).check(damaged -> {
            fixture.write("damaged.der", damaged);
            assertRefusedUntouched(fixture, fixture.run("load", "ca", "damaged.der"), 0);
            deleteStore(fixture);
        });
    }

    @Test
    void a_damaged_crl_is_refused_by_name_and_appends_nothing() throws IOException {
        StoreFixture fixture = new StoreFixture(dir);
        Pki pki = Pki.create().writeTo(fixture);
        fixture.loadAll();
        long storeBytes = fixture.storeBytes();
        Map<Path, byte[]> pristine = snapshot(fixture);
        byte[] valid = pki.issuing().crl().revoke(pki.revoked().serial()).number(2).build();
        fixture.write("valid.der", valid);
        assertEquals(0, fixture.run("load", "ca", "root.pem", "issuing.pem", "--store", "elsewhere").status());
        assertEquals(0, fixture.run("load", "crl", "valid.der", "--store", "elsewhere").status(),
                "the undamaged CRL loads");

        Property.forAll(Gens.damaged(valid)).tries(60).check(damaged -> {
            restore(fixture, pristine);
            fixture.write("damaged.der", damaged);
            Result result = fixture.run("load", "crl", "damaged.der");
            if (result.status() == 0) {
                assertKeptOnlyAsUnclaimed(result, "its issuer is not a loaded CA");
                // Kept, it must be inert: the revoked peer stays revoked, the good one stays good.
                Result revoked = fixture.run("validate", "--peer", "gw2.pem", "--at", "2025-01-01");
                Result good = fixture.run("validate", "--peer", "gw1.pem", "--at", "2025-01-01");
                assertTrue(revoked.out().contains("reject REVOKED"), result + "\n" + revoked);
                assertTrue(good.out().contains("accept OK"), result + "\n" + good);
            } else {
                assertRefusedUntouched(fixture, result, storeBytes);
            }
        });
    }
}
