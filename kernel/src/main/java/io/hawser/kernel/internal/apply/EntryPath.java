package io.hawser.kernel.internal.apply;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.hawser.errors.HawserException;

/**
 * A layer entry's name, checked and split into components. The check is lexical and refuses what
 * can only be an attempt to leave the snapshot or exhaust the resolver: an absolute name, a
 * {@code ..} component, a name longer than the kernel's {@code PATH_MAX} or a component longer than
 * {@code NAME_MAX}. Symbolic links on the way are the kernel's to judge when the path is opened.
 *
 * @param components the names from the snapshot root down, none empty, {@code .} or {@code ..};
 *                   empty for the root itself
 */
record EntryPath(List<String> components) {

    /** Linux's {@code PATH_MAX}, counting the terminating NUL. */
    static final int PATH_MAX = 4096;
    /** Linux's {@code NAME_MAX}. */
    static final int NAME_MAX = 255;
    /** How much of a hostile name an error message repeats. */
    private static final int SHOWN_LENGTH = 120;

    EntryPath {
        components = List.copyOf(components);
    }

    /**
     * Checks and splits an archive name. A leading {@code ./} and a trailing slash are what tar
     * writers commonly add and mean nothing.
     *
     * @param role what the name is, for the message: "layer entry", "hard link target of …"
     */
    static EntryPath of(String name, String role) throws HawserException {
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes >= PATH_MAX) {
            throw HawserException.invalidArgument(role + " '" + shown(name) + "' is " + bytes + " bytes long in "
                    + name.split("/", -1).length + " components; a path has at most " + (PATH_MAX - 1) + " bytes");
        }
        if (name.startsWith("/")) {
            throw HawserException.invalidArgument(role + " '" + name + "' is an absolute path; layer paths are relative to the snapshot");
        }
        if (name.indexOf('\0') >= 0) {
            throw HawserException.invalidArgument(role + " '" + shown(name) + "' contains a NUL character");
        }
        List<String> components = new ArrayList<>();
        for (String component : name.split("/")) {
            if (component.isEmpty() || component.equals(".")) {
                continue;
            }
            if (component.equals("..")) {
                throw HawserException.invalidArgument(role + " '" + name + "' has a '..' component, which could leave the snapshot");
            }
            if (component.getBytes(StandardCharsets.UTF_8).length > NAME_MAX) {
                throw HawserException.invalidArgument(role + " '" + shown(name) + "' has a component longer than "
                        + NAME_MAX + " bytes");
            }
            components.add(component);
        }
        return new EntryPath(components);
    }

    /** Repeats at most {@value #SHOWN_LENGTH} characters of a name in a message. */
    static String shown(String name) {
        return name.length() <= SHOWN_LENGTH ? name : name.substring(0, SHOWN_LENGTH) + "…";
    }

    boolean isRoot() {
        return components.isEmpty();
    }

    /** The last component, or {@code .} for the root, which then names itself in its parent. */
    String name() {
        return isRoot() ? "." : components.getLast();
    }

    /** The directory holding this path; the root is its own parent. */
    EntryPath parent() {
        return isRoot() ? this : new EntryPath(components.subList(0, components.size() - 1));
    }

    /** The first {@code count} components. */
    EntryPath prefix(int count) {
        return new EntryPath(components.subList(0, count));
    }

    /** A path beside this one, named by a whiteout; the name is checked like a component. */
    EntryPath sibling(String name, String role) throws HawserException {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/")) {
            throw HawserException.invalidArgument(role + " '" + this + "' hides '" + name + "', which is not a file name");
        }
        List<String> sibling = new ArrayList<>(parent().components);
        sibling.add(name);
        return new EntryPath(sibling);
    }

    /** The path relative to the snapshot root as {@code openat2} takes it: {@code .} for the root. */
    @Override
    public String toString() {
        return isRoot() ? "." : String.join("/", components);
    }
}
