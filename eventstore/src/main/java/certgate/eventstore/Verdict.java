package certgate.eventstore;

public enum Verdict { ACCEPT, REJECT }
