# Sourced by the scripts in this directory.
HAWSER_SRC=$(cd "$(dirname "$0")/.." && pwd -P)

# Exports JAVA_HOME for Maven: the JDK 25 the distribution's launcher scripts would pick.
hawser_use_jdk25() {
    . "$HAWSER_SRC/distribution/src/main/dist/lib/java.sh"
    JAVA_HOME=$(dirname "$(dirname "$JAVA")")
    export JAVA_HOME
}
