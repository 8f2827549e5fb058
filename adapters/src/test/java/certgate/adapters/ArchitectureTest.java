package certgate.adapters;

import static org.junit.jupiter.api.Assertions.assertEquals;

import certgate.adapters.cli.Main;
import certgate.engine.architecture.DependencyGraph;
import certgate.engine.architecture.PublicSurface;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The adapters' structure, read from their compiled classes ({@code adapters/target/classes}): they use the
 * engine through its public surface only ({@link PublicSurface#API_PACKAGES}), and their packages depend on one
 * another one way. The benchmark harnesses, which run engine internals beside the JDK's and BouncyCastle's
 * validators, live in the {@code bench} module and are not held to this.
 */
class ArchitectureTest {
    private static final DependencyGraph ADAPTERS = DependencyGraph.read(DependencyGraph.classesOf(Main.class));

    @Test
    void adapters_use_only_the_public_surface_of_the_engine() {
        List<DependencyGraph.Reference> found = ADAPTERS.references(
                from -> from.startsWith("certgate.adapters."),
                PublicSurface::isEngineInternal);
        assertEquals(List.of(), found, "adapter classes that use engine internals");
    }

    @Test
    void no_two_packages_of_the_adapters_depend_on_each_other() {
        List<String> cycles = ADAPTERS.cycles();
        assertEquals(List.of(), cycles, "package cycles in the adapters:\n" + String.join("\n", cycles));
    }
}
