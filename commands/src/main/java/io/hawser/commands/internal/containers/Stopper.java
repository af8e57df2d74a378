package io.hawser.commands.internal.containers;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.hawser.errors.HawserException;
import io.hawser.runtime.ExitStatus;
import io.hawser.runtime.Signals;
import io.hawser.runtime.Task;
import io.hawser.runtime.TaskState;

/**
 * Stops a task the polite way, then the sure way: its stop signal to the init process, a grace
 * period for it to exit, then {@code SIGKILL} to every process of the task.
 */
final class Stopper {

    /** How long to wait for the exit after {@code SIGKILL}, which only a process stuck in the kernel survives. */
    static final Duration AFTER_KILL = Duration.ofSeconds(30);

    private Stopper() {}

    /**
     * Stops the task and returns how it ended; a task that has ended already just returns that.
     *
     * @param stopSignal the container's stop signal
     * @param grace      how long it has to exit before it is killed; negative waits for ever
     * @return the exit status, empty for a task that was created and never started, which has no
     *         process of its own to stop
     */
    static Optional<ExitStatus> stop(Task task, int stopSignal, Duration grace) throws IOException, InterruptedException {
        CompletableFuture<ExitStatus> exit = task.waitFor().toCompletableFuture();
        TaskState state = task.state();
        if (state.status() == TaskState.Status.STOPPED) {
            return Optional.of(state.exitStatus());
        }
        if (state.status() == TaskState.Status.CREATED) {
            return Optional.empty();
        }
        task.kill(stopSignal, false);
        if (state.status() == TaskState.Status.PAUSED || state.status() == TaskState.Status.PAUSING) {
            // a frozen process cannot act on the signal; thawed, it gets it at once
            task.resume();
        }
        Optional<ExitStatus> exited = await(exit, grace);
        if (exited.isPresent()) {
            return exited;
        }
        task.kill(Signals.SIGKILL, true);
        return Optional.of(await(exit, AFTER_KILL).orElseThrow(() -> HawserException.unavailable(
                "task " + task.id() + " did not exit " + AFTER_KILL.toSeconds() + " s after SIGKILL")));
    }

    /** The exit status once the task exits within the time; a negative time waits for ever. */
    private static Optional<ExitStatus> await(CompletableFuture<ExitStatus> exit, Duration time) throws IOException, InterruptedException {
        try {
            return Optional.of(time.isNegative() ? exit.get() : exit.get(time.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IOException("waiting for the exit failed: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
