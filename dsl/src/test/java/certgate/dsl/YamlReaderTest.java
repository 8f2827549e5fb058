package certgate.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.dsl.YamlNode.Location;
import certgate.dsl.YamlNode.Mapping;
import certgate.dsl.YamlNode.Scalar;
import certgate.dsl.YamlNode.ScalarKind;
import certgate.dsl.YamlNode.Sequence;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one reader of YAML from outside, as other modules call it: a located tree or located errors. */
class YamlReaderTest {

    private static YamlReader.Read read(String text) {
        return YamlReader.read("f.yaml", text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void every_node_keeps_where_it_starts() {
        YamlReader.Read read = read("a: 1\nb:\n  - x\n  - \"y\"\n");
        assertEquals(List.of(), read.diagnostics());
        Mapping root = (Mapping) read.root().orElseThrow();
        assertEquals(new Location(1, 1), root.location());
        Scalar a = (Scalar) root.get("a").orElseThrow();
        assertEquals(ScalarKind.INTEGER, a.scalarKind());
        assertEquals(new Location(1, 4), a.location());
        assertEquals(new Location(2, 1), root.entry("b").orElseThrow().keyLocation());
        Sequence b = (Sequence) root.get("b").orElseThrow();
        assertEquals(new Location(4, 5), b.items().get(1).location());
        assertTrue(((Scalar) b.items().get(1)).quoted());
    }

    @Test
    void an_error_names_the_file_line_and_column() {
        YamlReader.Read read = read("a: 1\nb: [x, *nowhere]\n");
        assertTrue(read.hasErrors());
        assertEquals(Optional.empty(), read.root());
        Diagnostic error = read.diagnostics().get(0);
        assertEquals(DiagnosticCode.YAML_BAD_ALIAS, error.code());
        assertTrue(error.toString().startsWith("f.yaml:2:8: YAML_BAD_ALIAS: "), error.toString());
    }

    @Test
    void a_duplicate_key_is_an_error_that_keeps_the_first_value() {
        YamlReader.Read read = read("a: 1\na: 2\n");
        assertTrue(read.hasErrors());
        assertEquals("1", ((Scalar) ((Mapping) read.root().orElseThrow()).get("a").orElseThrow()).text());
    }

    @Test
    void a_file_without_a_document_has_no_root_and_no_error() {
        YamlReader.Read read = read("# only a comment\n");
        assertEquals(Optional.empty(), read.root());
        assertFalse(read.hasErrors());
    }

    @Test
    void the_bounds_hold_for_every_caller() {
        byte[] large = new byte[YamlReader.MAX_BYTES + 1];
        assertEquals(DiagnosticCode.FILE_TOO_LARGE, YamlReader.read("f", large).diagnostics().get(0).code());
        String deep = "[".repeat(YamlReader.MAX_DEPTH + 1) + "]".repeat(YamlReader.MAX_DEPTH + 1);
        assertEquals(DiagnosticCode.YAML_TOO_DEEP, read(deep).diagnostics().get(0).code());
        String fits = "[".repeat(YamlReader.MAX_DEPTH) + "]".repeat(YamlReader.MAX_DEPTH);
        assertFalse(read(fits).hasErrors());
        assertEquals(DiagnosticCode.INVALID_ENCODING, YamlReader.read("f", new byte[] {'a', ':', ' ', (byte) 0xff})
                .diagnostics().get(0).code());
    }
}
