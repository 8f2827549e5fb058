package certgate.eventstore.log;

/** What a record holds: an event, or a blob (certificate or CRL bytes) that later events refer to. */
public enum RecordKind { EVENT, BLOB }
