package certgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import certgate.eventstore.Reason;
import java.util.stream.Collectors;

/** Assertions on decisions that print the trace when they fail. */
public final class Expect {
    private Expect() {
    }

    public static void reason(Reason expected, Decision decision) {
        assertEquals(expected, decision.reason(), () -> "expected " + expected + ", got " + decision.reason()
                + "\n" + trace(decision));
    }

    public static void accepted(Decision decision) {
        reason(Reason.OK, decision);
    }

    public static String trace(Decision decision) {
        return decision.trace().stream().map(step -> "  " + step.step() + " " + step.outcome() + ": "
                + step.detail()).collect(Collectors.joining("\n"));
    }
}
