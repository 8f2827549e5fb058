package certgate.engine.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checkers of the architecture tests, on small graphs made to break the rules. */
class DependencyGraphTest {

    @Test
    void a_cycle_of_three_packages_is_reported_as_a_path_back_to_its_start() {
        DependencyGraph graph = DependencyGraph.of(List.of(
                ClassFile.of("a.A", "b.B", "java.util.List"),
                ClassFile.of("b.B", "c.C"),
                ClassFile.of("c.C", "a.A"),
                ClassFile.of("d.D", "a.A")));
        List<String> cycles = graph.cycles();
        assertEquals(1, cycles.size(), cycles.toString());
        assertTrue(cycles.get(0).startsWith("a -> b -> c -> a\n"), cycles.get(0));
        assertTrue(cycles.get(0).contains("c.C -> a.A"), cycles.get(0));
    }

    @Test
    void packages_that_depend_one_way_make_no_cycle() {
        DependencyGraph graph = DependencyGraph.of(List.of(
                ClassFile.of("a.A", "b.B", "a.Other"),
                ClassFile.of("a.Other", "a.A"),
                ClassFile.of("b.B", "c.C"),
                ClassFile.of("c.C")));
        assertEquals(List.of(), graph.cycles());
    }

    @Test
    void an_adapter_that_imports_an_engine_internal_is_found() {
        DependencyGraph graph = DependencyGraph.of(List.of(
                ClassFile.of("certgate.adapters.cli.Load", "certgate.engine.Engine",
                        "certgate.engine.x509.ParsedCertificate"),
                ClassFile.of("certgate.adapters.cli.Show", "certgate.engine.trace.TraceStep")));
        List<DependencyGraph.Reference> found = graph.references(from -> from.startsWith("certgate.adapters."),
                PublicSurface::isEngineInternal);
        assertEquals(List.of(new DependencyGraph.Reference("certgate.adapters.cli.Load",
                "certgate.engine.x509.ParsedCertificate")), found);
    }

    @Test
    void the_class_file_reader_finds_the_classes_a_compiled_class_uses() throws IOException {
        ClassFile engine = ClassFile.read(bytesOf(Engine.class));
        assertEquals("certgate.engine.Engine", engine.name());
        assertTrue(engine.references().contains("certgate.engine.revocation.CrlStore"), engine.toString());
        assertTrue(engine.references().contains("certgate.eventstore.ValidationRequested"), engine.toString());
    }

    @Test
    void a_class_named_only_in_a_string_literal_is_no_dependency() throws IOException {
        ClassFile sample = ClassFile.read(bytesOf(ArchitectureSamples.Literal.class));
        assertFalse(sample.references().stream().anyMatch(name -> name.startsWith("org.bouncycastle")),
                sample.toString());
        ClassFile typed = ClassFile.read(bytesOf(ArchitectureSamples.Leaky.class));
        assertTrue(typed.references().contains("org.bouncycastle.asn1.x500.X500Name"), typed.toString());
    }

    @Test
    void a_public_method_that_returns_a_bouncycastle_type_is_a_leak() {
        String leaky = ArchitectureSamples.Leaky.class.getName();
        List<String> leaks = PublicSurface.leaks(List.of(leaky, ArchitectureSamples.Literal.class.getName()));
        assertEquals(List.of(leaky + " name() mentions org.bouncycastle.asn1.x500.X500Name"), leaks);
    }

    private static byte[] bytesOf(Class<?> type) throws IOException {
        String resource = "/" + type.getName().replace('.', '/') + ".class";
        try (InputStream in = type.getResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }
}
