package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.checkpoint.CheckpointFormatException;
import certgate.adapters.checkpoint.Checkpoints;
import certgate.adapters.cli.StoreFixture.Pki;
import certgate.adapters.cli.StoreFixture.Result;
import certgate.eventstore.CheckpointSigned;
import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint line damaged on its way back (a flipped bit, a cut, an inserted or deleted run): {@code log verify
 * --checkpoint} answers with a usage error that says what is wrong with the line, or, when the damage left a
 * well-formed checkpoint, with a bad signature; never an exception, and never a pass (the line is canonical: only
 * white space around it may change; in the JSON form, white space between tokens).
 */
class CheckpointLineProperties {
    private static final List<Integer> CLEAR_OUTCOMES = List.of(ExitStatus.USAGE,
            ExitStatus.CHECKPOINT_BAD_SIGNATURE, ExitStatus.CHECKPOINT_OTHER_KEY);

    private static CheckpointSigned parse(String text) {
        try {
            return Checkpoints.parse(text);
        } catch (CheckpointFormatException e) {
            throw new AssertionError("verified, yet does not parse: " + text, e);
        }
    }

    @TempDir
    Path dir;

    @Test
    void a_damaged_checkpoint_line_is_a_clear_usage_error_or_a_bad_signature() {
        StoreFixture fixture = new StoreFixture(dir);
        Pki.create().writeTo(fixture);
        SigningKeys.writeEd25519(dir, "signer.key");
        fixture.loadAll();
        Result checkpoint = fixture.run("checkpoint", "--key", "signer.key");
        assertEquals(0, checkpoint.status(), checkpoint.toString());
        String line = checkpoint.out().strip();
        Result json = fixture.run("checkpoint", "--key", "signer.key", "--format", "json");
        assertEquals(0, json.status(), json.toString());

        for (String original : List.of(line, json.out().strip())) {
            byte[] bytes = original.getBytes(StandardCharsets.ISO_8859_1);
            Property.forAll(Gens.damaged(bytes)).tries(150).check(damaged -> {
                String text = new String(damaged, StandardCharsets.ISO_8859_1);
                Result result = fixture.run("log", "verify", "--checkpoint=" + text, "--pubkey", "signer.key.pub");
                assertFalse(result.err().contains("internal error"), result.toString());
                if (result.status() == 0) {
                    // Only white space around the line, or between JSON tokens, may change and still verify.
                    assertEquals(parse(original), parse(text), "a damaged checkpoint verified:\n" + result);
                    if (!original.startsWith("{")) {
                        assertEquals(original, text.strip(), "a damaged checkpoint line verified:\n" + result);
                    }
                    return;
                }
                assertTrue(CLEAR_OUTCOMES.contains(result.status()), result.toString());
                assertEquals(1, result.err().lines().count(), "one line: " + result);
                if (result.status() == ExitStatus.USAGE) {
                    assertTrue(result.err().contains("see 'certgate log --help'"), result.toString());
                }
            });
        }
    }
}
