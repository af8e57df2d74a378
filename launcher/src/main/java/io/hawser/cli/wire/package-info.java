/**
 * The CLI socket's wire format, shared by the {@code hawser} client and the daemon's CLI frontend
 * (which embeds this package).
 *
 * <p>Both directions carry frames: one byte of kind, a 4-byte big-endian payload length, the
 * payload. The client opens with a {@link io.hawser.cli.wire.Frame.Kind#REQUEST}; the daemon
 * answers with output frames and ends with {@link io.hawser.cli.wire.Frame.Kind#EXIT}. Standard
 * input flows only after the daemon asks for it, so a CLI call never swallows input meant for
 * the script that runs it.
 */
package io.hawser.cli.wire;
