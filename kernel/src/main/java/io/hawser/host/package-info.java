/**
 * Facts about the host that plugins check before claiming to work: where an executable is, what
 * filesystem a path lives on, what the kernel offers. Plain static helpers, safe to call often.
 */
@Export
@Version("1.1.0")
package io.hawser.host;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
