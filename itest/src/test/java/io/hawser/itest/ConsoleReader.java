package io.hawser.itest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Collects what a process prints, so a test can wait for a piece of text. */
final class ConsoleReader {

    private final StringBuffer text = new StringBuffer();

    ConsoleReader(Process process) {
        Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[4096];
            try (var in = process.getInputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // the process ended
            }
        });
    }

    void awaitText(String expected) throws Exception {
        Hawserd.awaitTrue("\"" + expected + "\" on the console; it shows:\n" + text, () -> text.toString().contains(expected));
    }

    /** Everything printed so far. */
    String text() {
        return text.toString();
    }
}
