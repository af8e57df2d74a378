package io.hawser.commands.internal.containers;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

import io.hawser.commands.internal.ClientTerminal;
import io.hawser.commands.internal.StreamsContext;

/** A caller's side for command tests: captured output, given input, optionally a client terminal. */
final class Console {

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final List<String> terminalCalls = new ArrayList<>();
    Consumer<ClientTerminal.Size> resizeListener = size -> {};
    volatile IntConsumer signalHandler;

    /** A client terminal that reports 100x30 when opened. */
    final ClientTerminal terminal = new ClientTerminal() {
        @Override
        public Optional<Size> open(boolean raw, Duration wait) {
            synchronized (terminalCalls) {
                terminalCalls.add("open raw=" + raw);
            }
            Size size = new Size(100, 30);
            resizeListener.accept(size);
            return Optional.of(size);
        }

        @Override
        public void onResize(Consumer<Size> listener) {
            resizeListener = listener;
        }

        @Override
        public void forwardSignals(IntConsumer handler) {
            signalHandler = handler;
        }
    };

    StreamsContext context() {
        return context("", false);
    }

    StreamsContext context(String input, boolean atTerminal) {
        InputStream in = new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8));
        return new StreamsContext(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                in, atTerminal, 80, Path.of("/"), atTerminal ? terminal : null);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
