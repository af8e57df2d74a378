package io.hawser.commands.internal.cli;

import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

import io.hawser.cli.wire.Frame;
import io.hawser.commands.internal.ClientTerminal;

/** The terminal of a CLI client, reached through its connection: TERMINAL and SIGNALS frames out, RESIZE and SIGNAL frames in. */
final class CliTerminal implements ClientTerminal {

    private final DataOutputStream out;
    private volatile Consumer<Size> listener = size -> {};
    private volatile IntConsumer signals = signal -> {};
    /** The last size reported since {@link #open}; guarded by this. */
    private Size reported;

    CliTerminal(DataOutputStream out) {
        this.out = out;
    }

    @Override
    public Optional<Size> open(boolean raw, Duration wait) throws IOException, InterruptedException {
        synchronized (this) {
            reported = null;
        }
        Frame.terminal(raw).write(out);
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (this) {
            for (long left = wait.toNanos(); reported == null && left > 0; left = deadline - System.nanoTime()) {
                wait(Math.max(1, left / 1_000_000));
            }
            return Optional.ofNullable(reported);
        }
    }

    @Override
    public void onResize(Consumer<Size> listener) {
        this.listener = listener;
    }

    @Override
    public void forwardSignals(IntConsumer handler) throws IOException {
        this.signals = handler;
        new Frame(Frame.Kind.SIGNALS, new byte[0]).write(out);
    }

    /** A SIGNAL frame came. */
    void signalled(int signal) {
        signals.accept(signal);
    }

    /** A RESIZE frame came; sizes of zero (a client without a terminal) are no size. */
    void resized(int columns, int rows) {
        if (columns <= 0 || rows <= 0) {
            return;
        }
        Size size = new Size(columns, rows);
        synchronized (this) {
            reported = size;
            notifyAll();
        }
        listener.accept(size);
    }
}
