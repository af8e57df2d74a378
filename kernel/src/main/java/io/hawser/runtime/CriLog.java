package io.hawser.runtime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import io.hawser.runtime.Attachment.Stream;

/**
 * The CRI log format the shim writes: one entry a line, {@code TIME STREAM TAG CONTENT}, where
 * TIME is RFC 3339 with nanoseconds, STREAM is {@code stdout} or {@code stderr}, and TAG is
 * {@code F} for the end of a line of output or {@code P} for a piece of a longer one (or of output
 * not ended by a newline yet) whose rest follows in later entries of the same stream.
 */
public final class CriLog {

    private CriLog() {}

    /**
     * One entry of the file.
     *
     * @param time    its timestamp as written
     * @param stream  the stream the output came from
     * @param partial whether it is a piece of a line ({@code P}) rather than a line's end ({@code F})
     * @param content the output, without the newline that ended it
     */
    public record Entry(String time, Stream stream, boolean partial, byte[] content) {

        /** The output exactly as the process wrote it: the content, and the newline a full line ended with. */
        public byte[] output() {
            if (partial) {
                return content;
            }
            byte[] line = new byte[content.length + 1];
            System.arraycopy(content, 0, line, 0, content.length);
            line[content.length] = '\n';
            return line;
        }
    }

    /**
     * A line of output put together from its entries.
     *
     * @param time     the timestamp of its first piece
     * @param stream   its stream
     * @param text     its bytes, without the newline
     * @param complete whether a newline ended it (a last line may still be waiting for its end)
     */
    public record Line(String time, Stream stream, byte[] text, boolean complete) {}

    /**
     * Parses one line of the file, without its newline. The tag may carry more flags after a colon
     * ({@code F:x}); only the first letter counts. A line that is not an entry (a file truncated
     * mid-write) is empty.
     */
    public static Optional<Entry> parse(byte[] line, int length) {
        int timeEnd = indexOf(line, 0, length);
        int streamEnd = indexOf(line, timeEnd + 1, length);
        if (timeEnd <= 0 || streamEnd < 0) {
            return Optional.empty();
        }
        int tagEnd = indexOf(line, streamEnd + 1, length);
        int tagStop = tagEnd < 0 ? length : tagEnd;
        if (tagStop == streamEnd + 1) {
            return Optional.empty();
        }
        String stream = new String(line, timeEnd + 1, streamEnd - timeEnd - 1, StandardCharsets.US_ASCII);
        byte tag = line[streamEnd + 1];
        Stream which = switch (stream) {
            case "stdout" -> Stream.STDOUT;
            case "stderr" -> Stream.STDERR;
            default -> null;
        };
        if (which == null || (tag != 'F' && tag != 'P')) {
            return Optional.empty();
        }
        byte[] content = new byte[tagEnd < 0 ? 0 : length - tagEnd - 1];
        System.arraycopy(line, length - content.length, content, 0, content.length);
        return Optional.of(new Entry(new String(line, 0, timeEnd, StandardCharsets.US_ASCII), which, tag == 'P', content));
    }

    private static int indexOf(byte[] line, int from, int length) {
        for (int i = from; i < length; i++) {
            if (line[i] == ' ') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Joins the pieces of lines: each stream's partial entries are held until the entry that
     * ends the line, since the two streams' entries interleave.
     */
    public static final class Joiner {
        private final Map<Stream, ByteArrayOutputStream> pending = new EnumMap<>(Stream.class);
        private final Map<Stream, String> pendingSince = new EnumMap<>(Stream.class);

        /** Takes an entry; returns the line it completes, if it ends one. */
        public Optional<Line> add(Entry entry) {
            ByteArrayOutputStream buffer = pending.computeIfAbsent(entry.stream(), s -> new ByteArrayOutputStream());
            pendingSince.putIfAbsent(entry.stream(), entry.time());
            buffer.writeBytes(entry.content());
            if (entry.partial()) {
                return Optional.empty();
            }
            pending.remove(entry.stream());
            return Optional.of(new Line(pendingSince.remove(entry.stream()), entry.stream(), buffer.toByteArray(), true));
        }

        /** The lines still waiting for their end, when no more entries will come. */
        public java.util.List<Line> unfinished() {
            return pending.entrySet().stream()
                    .map(e -> new Line(pendingSince.get(e.getKey()), e.getKey(), e.getValue().toByteArray(), false))
                    .toList();
        }
    }
}
