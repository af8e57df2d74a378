/**
 * The CLI socket's wire format, shared by the {@code hawser} client and the daemon's CLI frontend
 * (which embeds this package).
 *
 * <p>Both directions carry frames: one byte of kind, a 4-byte big-endian payload length, the
 * payload. The client opens with a {@link io.hawser.cli.wire.Frame.Kind#REQUEST}; the daemon
 * answers with output frames and ends with {@link io.hawser.cli.wire.Frame.Kind#EXIT}. Standard
 * input flows only after the daemon asks for it, so a CLI call never swallows input meant for
 * the script that runs it.
 *
 * <p>A command that runs a terminal (an interactive container) sends
 * {@link io.hawser.cli.wire.Frame.Kind#TERMINAL}; the client then reports its window size with
 * {@link io.hawser.cli.wire.Frame.Kind#RESIZE} at once and on every change and, when asked, keeps
 * its terminal in raw mode until the {@code EXIT} frame. After
 * {@link io.hawser.cli.wire.Frame.Kind#SIGNALS} the client forwards the signals that would end it
 * as {@link io.hawser.cli.wire.Frame.Kind#SIGNAL}, so Ctrl-C reaches the container. Kinds are only ever added, never
 * renumbered, so frames of older peers keep their meaning.
 */
package io.hawser.cli.wire;
