package io.hawser.kernel.internal.spec;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.hawser.kernel.internal.spec.RuntimeSpec.Seccomp;
import io.hawser.kernel.internal.spec.RuntimeSpec.SyscallRule;

/**
 * A seccomp profile before the container's capabilities are known: rules may apply only to
 * containers that hold some capabilities, or only to those that lack them, as in docker's profile
 * format. The filter a container gets is {@link #forCapabilities} of its final capability set, so
 * adding {@code CAP_SYS_ADMIN} also lets it call {@code mount}, as with containerd.
 *
 * @param defaultAction   the action for system calls no rule names
 * @param defaultErrnoRet the errno of a default {@code SCMP_ACT_ERRNO}, {@code null} for EPERM
 * @param architectures   the architectures the filter covers, {@code null} for the runtime's native one
 * @param flags           {@code seccomp(2)} flags, {@code null} for none
 * @param rules           the rules, in order
 */
public record SeccompProfile(String defaultAction, Integer defaultErrnoRet, List<String> architectures, List<String> flags,
        List<Rule> rules) {

    public SeccompProfile {
        Objects.requireNonNull(defaultAction, "defaultAction");
        architectures = architectures == null ? null : List.copyOf(architectures);
        flags = flags == null ? null : List.copyOf(flags);
        rules = List.copyOf(rules);
    }

    /**
     * A rule and the capabilities it depends on.
     *
     * @param syscall  the rule as the runtime reads it
     * @param onlyWith capabilities a container must all hold for the rule to apply
     * @param notWith  capabilities any one of which keeps the rule from applying
     */
    public record Rule(SyscallRule syscall, Set<Capability> onlyWith, Set<Capability> notWith) {
        public Rule {
            Objects.requireNonNull(syscall, "syscall");
            onlyWith = Set.copyOf(onlyWith);
            notWith = Set.copyOf(notWith);
        }

        /** A rule that applies to every container. */
        public static Rule always(SyscallRule syscall) {
            return new Rule(syscall, Set.of(), Set.of());
        }

        boolean appliesTo(Set<Capability> capabilities) {
            return capabilities.containsAll(onlyWith) && Collections.disjoint(capabilities, notWith);
        }
    }

    /** The filter of a container holding {@code capabilities}: the rules that apply to it. */
    public Seccomp forCapabilities(Set<Capability> capabilities) {
        List<SyscallRule> applying = rules.stream().filter(rule -> rule.appliesTo(capabilities)).map(Rule::syscall).toList();
        return new Seccomp(defaultAction, defaultErrnoRet, architectures, flags, applying.isEmpty() ? null : applying);
    }
}
