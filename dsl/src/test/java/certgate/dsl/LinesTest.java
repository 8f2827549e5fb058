package certgate.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class LinesTest {

    @Test
    void lines_end_where_yaml_ends_them() {
        assertEquals(List.of("a", "b", "c", "d", "e", "f", ""), Lines.split("a\nb\r\nc\rd\u0085e\u2028f\u2029"));
    }

    @Test
    void the_end_of_a_text_is_one_past_its_last_character() {
        assertEquals(new YamlNode.Location(3, 3), Lines.end("x\r\ny\rab"));
        assertEquals(new YamlNode.Location(1, 1), Lines.end(""));
    }

    @Test
    void yaml_counts_a_carriage_return_as_a_line_break_too() {
        CompileResult result = Policies.compile("version: 1\rike:\r  gateways: []\rx: 1\n");
        assertEquals(4, Policies.only(result, DiagnosticCode.UNKNOWN_KEY).line(), Policies.describe(result));
        CompileResult nel = Policies.compile("version: 1\u0085ike:\u0085  gateways: []\u0085x: 1\n");
        assertEquals(4, Policies.only(nel, DiagnosticCode.UNKNOWN_KEY).line(), Policies.describe(nel));
    }
}
