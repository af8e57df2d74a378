package io.hawser.runtime;

import java.util.regex.Pattern;

/**
 * The rule for task, exec and shim ids. Ids name directories under the state directory and appear
 * in runtime command lines, so they are restricted to characters that are safe in both: a letter
 * or digit first, then letters, digits, {@code _ . -}, at most 76 characters in all (which also
 * keeps unix socket paths built from them under the kernel's limit).
 */
public final class Ids {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,75}");

    private Ids() {}

    /**
     * Returns the id if it follows the rule.
     *
     * @param what what the id names, for the message ({@code task id}, {@code exec id})
     * @throws IllegalArgumentException naming the id and the rule when it does not
     */
    public static String check(String id, String what) {
        if (id == null || !VALID.matcher(id).matches()) {
            throw new IllegalArgumentException(what + " '" + id
                    + "' is invalid: use 1 to 76 letters, digits, '_', '.' or '-', starting with a letter or digit");
        }
        return id;
    }
}
