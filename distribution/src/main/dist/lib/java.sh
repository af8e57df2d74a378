# Sourced by bin/hawserd and bin/hawser: sets JAVA to the java of a JDK 25 or newer, or exits.
# Looks at JAVA_HOME first, then /usr/lib/jvm/*25*.
hawser_java_release() {
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null
}
JAVA=
for hawser_jdk in "${JAVA_HOME:-}" /usr/lib/jvm/*25*; do
    [ -n "$hawser_jdk" ] && [ -x "$hawser_jdk/bin/java" ] || continue
    hawser_release=$(hawser_java_release "$hawser_jdk")
    if [ -n "$hawser_release" ] && [ "$hawser_release" -ge 25 ]; then
        JAVA="$hawser_jdk/bin/java"
        break
    fi
done
if [ -z "$JAVA" ]; then
    echo "$(basename "$0"): no JDK 25 found (JAVA_HOME=${JAVA_HOME:-unset}, nothing in /usr/lib/jvm/*25*); install one, e.g. temurin-25-jdk, or set JAVA_HOME" >&2
    exit 1
fi
