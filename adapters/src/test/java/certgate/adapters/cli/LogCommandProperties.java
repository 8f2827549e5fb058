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
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands that read a store, given a damaged segment file: each gives a clear status and message, never an
 * exception; {@code log verify} passes only when what it vouches for (everything before a torn tail) is the
 * original's bytes, and with the head printed before the damage, only when every original record is still there.
 */
class LogCommandProperties {
    private static final Pattern TORN = Pattern.compile("torn tail in segment \\S+ at offset (\\d+)");

    @TempDir
    Path dir;

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void a_damaged_segment_is_caught_by_verify_and_read_commands_fail_cleanly() throws IOException {
        StoreFixture fixture = new StoreFixture(dir);
        Pki.create().writeTo(fixture);
        fixture.loadAll();
        fixture.run("validate", "--peer", "gw1.pem", "--at", "2025-01-01");
        fixture.run("validate", "--peer", "gw2.pem", "--at", "2025-01-01");
        Path segment = fixture.segments().get(0);
        byte[] original = Files.readAllBytes(segment);
        String head = LogCommandTest.head(fixture.run("log", "verify"));

        Property.forAll(Gens.damaged(original)).tries(60).check(damaged -> {
            write(segment, damaged);
            Result verify = fixture.run("log", "verify");
            Result verifyHead = fixture.run("log", "verify", "--head", head);
            for (Result result : List.of(verify, verifyHead)) {
                assertTrue(result.status() == 0 || result.status() == 1, result.toString());
                if (result.status() == 1) {
                    assertTrue(result.err().contains("first bad record: segment "), result.toString());
                }
            }
            if (verify.status() == 0) {
                // What verify vouches for (everything before a torn tail) must be the original's bytes.
                Matcher torn = TORN.matcher(verify.out());
                int vouched = torn.find() ? Integer.parseInt(torn.group(1)) : damaged.length;
                assertTrue(startsWith(original, Arrays.copyOf(damaged, vouched)) || startsWith(damaged, original),
                        "verify passed a log whose records changed:\n" + verify);
            }
            if (verifyHead.status() == 0) {
                assertTrue(startsWith(damaged, original), "verify --head passed a log that lost records:\n"
                        + verifyHead);
            }
            for (List<String> command : List.of(List.of("replay"), List.of("audit"), List.of("log", "dump"),
                    List.of("explain", "d-4"))) {
                Result result = fixture.run(command.toArray(new String[0]));
                assertFalse(result.err().contains("internal error"), command + "\n" + result);
                assertTrue(result.status() >= 0 && result.status() <= 2 || result.status() == ExitStatus.STORE_DAMAGED,
                        command + "\n" + result);
                if (result.status() == 2 || result.status() == ExitStatus.STORE_DAMAGED) {
                    assertFalse(result.err().isBlank(), command + "\n" + result);
                }
            }
        });
        write(segment, original);
        assertEquals(0, fixture.run("log", "verify", "--head", head).status());
    }
}
