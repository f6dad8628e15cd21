/**
 * Redis targets, probes and faults, on the Jedis client, against real servers only.
 *
 * <p>{@link dev.faultline.stdlib.redis.RedisLibrary} holds the functions: {@code redis(url)} gives a
 * {@link dev.faultline.stdlib.redis.RedisTarget} (host type {@code redis}: ping, get/set, info,
 * {@code RedisStats}, {@code Replication}), {@code redis.sentinel(…)} a
 * {@link dev.faultline.stdlib.redis.SentinelTarget} (who is master, a forced failover giving a
 * {@code RedisFailover}), {@code redis.local(…)} a {@link dev.faultline.stdlib.redis.LocalRedis} of
 * {@link dev.faultline.stdlib.redis.RedisNode}s, each a {@code LocalInstance} run from the programs
 * {@code RedisBinaries} finds. Faults: {@code InstanceDown} (stop, kill) and {@code InstancePause}
 * (SIGSTOP, with {@code ProcStat}). {@link dev.faultline.stdlib.redis.RedisRecoverer} undoes them
 * after a crash. Reference: docs/stdlib/redis.md.
 */
package dev.faultline.stdlib.redis;
