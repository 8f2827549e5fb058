package certgate.adapters.enroll;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PassphrasesTest {
    @TempDir
    Path dir;

    @Test
    void a_passphrase_file_gives_its_first_line_without_the_line_end() throws Exception {
        Path file = Files.write(dir.resolve("pass"), "s3cr\u00e9t\r\nsecond line\n".getBytes(StandardCharsets.UTF_8));
        try (Passphrase passphrase = Passphrases.read(Optional.of(file), Optional.empty(), Map.<String, String>of()::get)) {
            assertArrayEquals("s3cr\u00e9t".toCharArray(), passphrase.chars().orElseThrow());
        }
    }

    @Test
    void closing_a_passphrase_overwrites_its_characters() throws Exception {
        Path file = Files.writeString(dir.resolve("pass"), "correct horse\n");
        char[] seen;
        try (Passphrase passphrase = Passphrases.read(Optional.of(file), Optional.empty(), Map.<String, String>of()::get)) {
            seen = passphrase.chars().orElseThrow();
            assertEquals("correct horse", new String(seen));
        }
        assertArrayEquals(new char[13], seen, "the characters are wiped once the passphrase is closed");
        char[] fromEnvironment;
        try (Passphrase passphrase = Passphrases.read(Optional.empty(), Optional.of("PASS"),
                Map.of("PASS", "battery staple")::get)) {
            fromEnvironment = passphrase.chars().orElseThrow();
        }
        assertArrayEquals(new char[14], fromEnvironment);
    }

    @Test
    void no_option_is_no_passphrase_and_both_options_are_refused() throws Exception {
        try (Passphrase none = Passphrases.read(Optional.empty(), Optional.empty(), Map.<String, String>of()::get)) {
            assertFalse(none.isPresent());
        }
        EnrollException both = assertThrows(EnrollException.class, () -> Passphrases.read(
                Optional.of(dir.resolve("p")), Optional.of("P"), Map.<String, String>of()::get));
        assertTrue(both.getMessage().contains("exclude each other"), both.getMessage());
    }

    @Test
    void a_passphrase_file_that_is_not_text_or_starts_empty_is_refused_by_name() throws Exception {
        Path binary = Files.write(dir.resolve("bin"), new byte[] {(byte) 0xff, (byte) 0xfe, 'x'});
        Path empty = Files.writeString(dir.resolve("empty"), "\nsecond\n");
        EnrollException notText = assertThrows(EnrollException.class, () -> Passphrases.read(Optional.of(binary),
                Optional.empty(), Map.<String, String>of()::get));
        assertTrue(notText.getMessage().contains("--passphrase-file " + binary + ": the passphrase is not UTF-8"),
                notText.getMessage());
        EnrollException firstEmpty = assertThrows(EnrollException.class, () -> Passphrases.read(Optional.of(empty),
                Optional.empty(), Map.<String, String>of()::get));
        assertTrue(firstEmpty.getMessage().contains("the first line (the passphrase) is empty"),
                firstEmpty.getMessage());
    }
}
