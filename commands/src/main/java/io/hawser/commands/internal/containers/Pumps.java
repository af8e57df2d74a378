package io.hawser.commands.internal.containers;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;

import io.hawser.runtime.Attachment;

/**
 * Copies between a process's attached streams and the caller's, each direction on its own virtual
 * thread, since both block.
 */
final class Pumps {

    private static final System.Logger LOG = System.getLogger(Pumps.class.getName());

    private Pumps() {}

    /** Copies the process's output to the caller's stdout and stderr until it ends; the thread ends with it. */
    static Thread output(Attachment attachment, PrintStream out, PrintStream err) {
        return Thread.ofVirtual().name("attach-output").start(() -> {
            try {
                for (Attachment.Chunk chunk; (chunk = attachment.read()) != null; ) {
                    PrintStream to = chunk.stream() == Attachment.Stream.STDERR ? err : out;
                    to.write(chunk.data(), 0, chunk.data().length);
                    to.flush();
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "attached output ended: " + e.getMessage());
            }
        });
    }

    /**
     * Reads and drops the process's attached output: the caller takes it from the log instead, but
     * the shim must not find the attachment full.
     */
    static Thread discardOutput(Attachment attachment) {
        return Thread.ofVirtual().name("attach-discard").start(() -> {
            try {
                while (attachment.read() != null) {
                    // dropped on purpose
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "attached output ended: " + e.getMessage());
            }
        });
    }

    /**
     * Copies the caller's input to the process and closes the process's input at its end, so a
     * program reading to the end ({@code cat}) finishes.
     */
    static Thread input(InputStream in, Attachment attachment) {
        return Thread.ofVirtual().name("attach-input").start(() -> {
            byte[] buffer = new byte[32 * 1024];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    attachment.write(buffer, 0, n);
                }
                attachment.closeStdin();
            } catch (IOException e) {
                // the caller or the process went away: nothing more to send
                LOG.log(System.Logger.Level.DEBUG, "attached input ended: " + e.getMessage());
            }
        });
    }
}
