package certgate.dsl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** policies/README.md lists every diagnostic code with its description, as the code states it. */
class ReadmeTest {

    @Test
    void the_readme_lists_every_code_with_its_description() throws Exception {
        String readme = Files.readString(PolicySchemaTest.POLICIES.resolve("README.md"), StandardCharsets.UTF_8);
        for (DiagnosticCode code : DiagnosticCode.values()) {
            String row = "| `" + code.name() + "` | " + code.severity().name().toLowerCase() + " | "
                    + code.description().replace("|", "\\|") + " |";
            assertTrue(readme.contains(row), "policies/README.md lacks the row\n" + row);
        }
    }
}
