package io.hawser.cri.streaming;

import java.util.ArrayList;
import java.util.List;

/** What to run when a connection closes; an action added after that runs at once. */
final class CloseActions {

    private final List<Runnable> actions = new ArrayList<>();
    private boolean closed;

    void add(Runnable action) {
        synchronized (actions) {
            if (!closed) {
                actions.add(action);
                return;
            }
        }
        action.run();
    }

    void runAll() {
        List<Runnable> toRun;
        synchronized (actions) {
            closed = true;
            toRun = List.copyOf(actions);
            actions.clear();
        }
        toRun.forEach(Runnable::run);
    }
}
