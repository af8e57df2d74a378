package io.hawser.runtime.runc;

/**
 * What {@code runc state} reports about a container.
 *
 * @param status {@code creating}, {@code created}, {@code running}, {@code paused} or {@code stopped}
 * @param pid    the init process's pid on the host, 0 once it has stopped
 */
public record RuncState(String status, int pid) {}
