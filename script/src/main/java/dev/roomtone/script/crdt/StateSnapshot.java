package dev.roomtone.script.crdt;

/**
 * A document's state vector at one moment, taken cheaply: clients are never removed from a store and
 * keep their insertion index, so one int per known client suffices. Every transaction takes two.
 */
final class StateSnapshot implements ClientClocks {

    private final LongMap<StructList> clients;
    private final int[] states;

    StateSnapshot(StructStore store) {
        this.clients = store.clients;
        int n = clients.size();
        states = new int[n];
        for (int i = 0; i < n; i++) {
            states[i] = clients.valueAt(i).state();
        }
    }

    @Override
    public int size() {
        return states.length;
    }

    @Override
    public long keyAt(int i) {
        return clients.keyAt(i);
    }

    @Override
    public int valueAt(int i) {
        return states[i];
    }

    @Override
    public int getOrDefault(long client, int missing) {
        int i = clients.indexOf(client);
        return i < 0 || i >= states.length ? missing : states[i];
    }
}
