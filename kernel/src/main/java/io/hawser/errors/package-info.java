/**
 * The one error vocabulary of the kernel's API.
 *
 * <p>Every API package (snapshots, content, images, runtime, …) refuses an operation the same
 * way: it throws a {@link io.hawser.errors.HawserException} whose
 * {@link io.hawser.errors.HawserException#code() code} says what kind of refusal it is, and whose
 * message says which object and why. A frontend therefore needs one mapping, not one per package,
 * and a plugin that wraps another (a snapshotter over a snapshotter, a runtime calling the content
 * store) passes the refusal on unchanged. Any other {@link java.io.IOException} is a failure of the
 * daemon or the host (a full disk, a crashed shim, an unreachable registry) that the caller did
 * not cause and cannot fix by changing its request.
 *
 * <h2>Mapping in frontends</h2>
 * Each {@link io.hawser.errors.ErrorCode} is named after the gRPC status code it stands for, so a
 * gRPC frontend such as the CRI server answers with the status of the same name
 * ({@code Status.Code.valueOf(e.code().name())}) and the exception's message as description; an
 * {@code IOException} that is not a {@code HawserException} becomes {@code INTERNAL} and any
 * other unchecked failure {@code UNKNOWN}. The CLI prints the message and exits with status 1,
 * as for any failed command; it needs the code only to decide whether to say more, for example to
 * suggest logging in to a registry on {@code UNAUTHENTICATED}.
 *
 * <h2>Messages</h2>
 * {@code notFound} and {@code alreadyExists} take a noun phrase naming the object, kind first
 * ({@code "snapshot sha256:…"}, {@code "exec probe-1 in task web"}), and append the verb, so
 * every package words these two the same way. The other codes take a whole sentence, since what
 * is wrong differs from case to case.
 */
@Export
@Version("1.0.0")
package io.hawser.errors;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
