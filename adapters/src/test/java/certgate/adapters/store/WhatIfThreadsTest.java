package certgate.adapters.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.report.ReportStore;
import certgate.dsl.PolicyCompiler;
import certgate.dsl.policy.CompiledPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spreading whatif's re-deciding over threads changes its speed, never its answer or the order it is told in. */
class WhatIfThreadsTest {
    @TempDir
    Path dir;

    @Test
    void the_same_changes_in_the_same_order_on_any_number_of_threads() {
        Path store = dir.resolve("store");
        ReportStore.generate(store, 5, 2);
        // Without the partners' gateway, every partner decision changes to GATEWAY_NOT_FOUND.
        String source = ReportStore.POLICY.replace("""
                    - name: partners
                      ca-profile: partner
                      remote-identity: { dn: { wildcard: "O=Partner Corp" } }
                """, "");
        CompiledPolicy policy = PolicyCompiler.compile("new.yaml", source.getBytes(StandardCharsets.UTF_8))
                .policy().orElseThrow();

        List<String> one = changes(store, policy, 1);
        List<String> three = changes(store, policy, 3);

        assertTrue(one.size() > 20, "a few dozen partner decisions change: " + one.size());
        assertEquals(one, three);
    }

    private static List<String> changes(Path store, CompiledPolicy policy, int threads) {
        List<String> changes = new ArrayList<>();
        WhatIf.Result result = WhatIf.run(store, policy, Optional.empty(), Optional.empty(), threads,
                change -> changes.add(change.requestId() + " " + change.gateway() + " " + change.after().reason()),
                Progress.silent());
        assertEquals(changes.size(), result.changed());
        return changes;
    }
}
