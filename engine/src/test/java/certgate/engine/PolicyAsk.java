package certgate.engine;

import certgate.engine.testpki.TestCert;
import certgate.testkit.Gen;
import java.util.List;
import java.util.Optional;

/** A request to decide under a policy, drawn for a property: a peer, perhaps an IKE ID, perhaps a gateway named. */
record PolicyAsk(TestCert peer, Optional<String> id, Optional<String> gateway) {
    @Override
    public String toString() {
        return "peer " + peer.subject() + ", id " + id + ", gateway " + gateway;
    }

    /** Asks drawn from these: a quarter of them name a gateway, and half of those present no IKE ID. */
    static Gen<PolicyAsk> from(List<TestCert> peers, List<String> ids, List<String> gateways) {
        return random -> {
            TestCert peer = peers.get(random.nextInt(peers.size()));
            Optional<String> gateway = random.nextInt(4) == 0
                    ? Optional.of(gateways.get(random.nextInt(gateways.size()))) : Optional.empty();
            Optional<String> id = gateway.isPresent() && random.nextBoolean() ? Optional.empty()
                    : Optional.of(ids.get(random.nextInt(ids.size())));
            return new PolicyAsk(peer, id, gateway);
        };
    }
}
