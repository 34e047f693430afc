package io.quire.windows.regions;

/** One minute a worker should do before its default queue, and the region that asked for it. */
public record WorkItem(long regionId, int priority, int symbolId, int minuteIdx) {}
