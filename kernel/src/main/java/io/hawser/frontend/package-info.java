/**
 * API frontends and the commands they serve.
 *
 * <p>A frontend is a plugin of type {@code io.hawser.frontend.v1} that accepts requests from
 * outside the daemon: the CRI endpoint kubelet and {@code crictl} talk to, the CLI socket the
 * {@code hawser} command talks to. It registers a {@link io.hawser.frontend.Frontend} so
 * {@code hawser plugins} lists it with its endpoint.
 *
 * <p>Operator commands are {@link io.hawser.frontend.Command} services. One implementation serves
 * every door: the CLI socket runs them for {@code hawser COMMAND …}, and the Gogo console offers
 * each as {@code hawser:COMMAND}. Any bundle may contribute commands.
 */
@Export
@Version("1.0.0")
package io.hawser.frontend;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
