package io.hawser.kernel.internal.containers;

import java.io.IOException;

import io.hawser.errors.HawserException;
import io.hawser.runtime.Attachment;
import io.hawser.runtime.Process;

/** What fake tasks and fake exec'd processes have alike: an id, a pid, and no streams. */
abstract class FakeProcess implements Process {

    private final String id;
    final long pid;

    FakeProcess(String id, long pid) {
        this.id = id;
        this.pid = pid;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public void resizePty(int columns, int rows) {
    }

    @Override
    public Attachment attach() throws IOException {
        throw HawserException.unimplemented("the fake runtime has no streams");
    }

    @Override
    public void closeIO() {
    }
}
