package dev.roomtone.script.crdt;

/** Read view of client id → clock pairs in insertion order (state vectors and their snapshots). */
interface ClientClocks {

    int size();

    long keyAt(int i);

    int valueAt(int i);

    /** The clock for {@code client}, or {@code missing} when it is not listed. */
    int getOrDefault(long client, int missing);

    /** The clock for {@code client}, 0 when not listed (a client never seen has state 0). */
    default int get(long client) {
        return getOrDefault(client, 0);
    }

    default boolean containsKey(long client) {
        return getOrDefault(client, -1) != -1;
    }
}
