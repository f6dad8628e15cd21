/**
 * PostgreSQL targets, probes and faults, on the PostgreSQL JDBC driver and HikariCP, against real
 * servers only.
 *
 * <p>{@link dev.faultline.stdlib.postgres.PostgresLibrary} holds the functions: {@code postgres(url…)}
 * gives a {@link dev.faultline.stdlib.postgres.Database} (host type {@code postgres}: probes, session
 * faults, the writer), {@code postgres.local()} a {@link dev.faultline.stdlib.postgres.LocalCluster}
 * of {@link dev.faultline.stdlib.postgres.ClusterNode}s (stop, promote), each a {@code LocalServer}
 * run from the binaries that {@code PgBinaries} finds. Probes return values carrying their latency
 * ({@code QueryResult}, {@code ReplicationLag}, {@code ConnectionCounts}). Faults: {@code HeldConnections},
 * {@code BackendTermination}, {@code TableLock}, {@code SleepLoad} (sessions tagged by
 * {@code SessionFault}), {@code ServerStop}. {@code Writer} and {@code WriteCheck} measure data loss.
 * {@link dev.faultline.stdlib.postgres.PostgresRecoverer} undoes session faults after a crash.
 * Reference: docs/stdlib/postgres.md.
 */
package dev.faultline.stdlib.postgres;
