package certgate.engine.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import certgate.engine.Engine;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine's own structure, read from its compiled classes ({@code engine/target/classes}). */
class EngineArchitectureTest {
    private static final DependencyGraph ENGINE = DependencyGraph.read(DependencyGraph.classesOf(Engine.class));

    @Test
    void no_two_packages_of_the_engine_depend_on_each_other() {
        List<String> cycles = ENGINE.cycles();
        assertEquals(List.of(), cycles, "package cycles in the engine:\n" + String.join("\n", cycles));
    }

    @Test
    void internal_packages_do_not_use_the_api_package() {
        List<DependencyGraph.Reference> found = ENGINE.references(PublicSurface::isEngineInternal,
                to -> ClassFile.packageOf(to).equals("certgate.engine"));
        assertEquals(List.of(), found, "internal classes that refer to the API package certgate.engine");
    }

    @Test
    void the_trace_package_uses_nothing_else_of_the_engine() {
        List<DependencyGraph.Reference> found = ENGINE.references(
                from -> ClassFile.packageOf(from).equals("certgate.engine.trace"),
                to -> to.startsWith("certgate.engine.") && !ClassFile.packageOf(to).equals("certgate.engine.trace")
                        || ClassFile.packageOf(to).equals("certgate.engine"));
        assertEquals(List.of(), found, "the leaf package of values refers to the rest of the engine");
    }

    @Test
    void public_signatures_of_the_api_name_neither_bouncycastle_nor_engine_internals() {
        List<String> api = ENGINE.classNames().stream()
                .filter(name -> PublicSurface.API_PACKAGES.contains(ClassFile.packageOf(name))).toList();
        List<String> leaks = PublicSurface.leaks(api);
        assertEquals(List.of(), leaks, "public signatures of the engine API that leak:\n" + String.join("\n", leaks));
    }
}
