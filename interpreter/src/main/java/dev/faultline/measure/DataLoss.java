package dev.faultline.measure;

import java.time.Duration;

/**
 * One measurement of data loss: a check that compared what a writer had acknowledged with what a
 * database holds (after a failover, or in a restored copy).
 *
 * @param what what was compared, in words: {@code writer w1a2b3c4 against the restore of backup b1}
 * @param lost acknowledged writes missing: the loss in writes
 * @param rpo the loss in time: the recovery point objective's measure
 */
public record DataLoss(String what, long lost, Duration rpo) {}
