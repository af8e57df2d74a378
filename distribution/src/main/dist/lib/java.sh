# Sourced by bin/hawserd and bin/hawser: sets JAVA to the java of a JDK 25 or newer, or exits.
# Looks at JAVA_HOME first, then /usr/lib/jvm/*25*. Shell built-ins only: every CLI call runs
# this, and each program a script starts costs a few milliseconds.

# Sets hawser_release to the feature release of the JDK in $1, from its release file; empty if none.
hawser_java_release() {
    hawser_release=
    [ -r "$1/release" ] || return 0
    while IFS= read -r hawser_line; do
        case $hawser_line in
            JAVA_VERSION=\"*)
                hawser_release=${hawser_line#JAVA_VERSION=\"}
                hawser_release=${hawser_release%%[!0-9]*}
                return 0
                ;;
        esac
    done < "$1/release"
}
JAVA=
for hawser_jdk in "${JAVA_HOME:-}" /usr/lib/jvm/*25*; do
    [ -n "$hawser_jdk" ] && [ -x "$hawser_jdk/bin/java" ] || continue
    hawser_java_release "$hawser_jdk"
    if [ -n "$hawser_release" ] && [ "$hawser_release" -ge 25 ]; then
        JAVA="$hawser_jdk/bin/java"
        break
    fi
done
if [ -z "$JAVA" ]; then
    echo "${0##*/}: no JDK 25 found (JAVA_HOME=${JAVA_HOME:-unset}, nothing in /usr/lib/jvm/*25*); install one, e.g. temurin-25-jdk, or set JAVA_HOME" >&2
    exit 1
fi

# The client's JVM options, shared by bin/hawser and lib/record-cli-cache (an ahead-of-time cache is
# only used by a JVM started like the one that recorded it):
#  -XX:+UseSerialGC -XX:TieredStopAtLevel=1   a short-lived process: the simplest collector, the first compiler tier
#  -XX:CompileThresholdScaling=20             and only for what runs long (streaming output): compiling the start's
#                                             methods competes for the CPU with the daemon, runc and the container
#  -XX:-UsePerfData                           no hsperfdata file to create and delete
#  -Djdk.console=java.base                    System.console() from the JDK's own console, not a JLine one
#  --add-exports java.base/sun.security.jca, java.base/sun.nio.ch
#                                             the thread's security providers and the default selector provider,
#                                             to open the socket the short way (io.hawser.cli.UnixSockets)
HAWSER_CLI_OPTIONS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=20 -XX:-UsePerfData -Djdk.console=java.base --add-exports=java.base/sun.security.jca=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED"
HAWSER_CLI_CACHE="${HAWSER_HOME:-}/lib/hawser-cli.aot"
